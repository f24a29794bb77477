import hashlib
from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from contributions import ratelimit
from cooperation_hub.process_memo import kept_by_process
from experiences.models import City

from . import matching, services, tokens
from .forms import PreferencesForm, SubscribeForm


def _lang() -> str:
    return (get_language() or "fr")[:2]


def bad_link(request: HttpRequest, error: tokens.TokenError) -> HttpResponse:
    """A clear page for a tampered, expired or superseded link (410 Gone when
    it expired, or is a confirmation link of an address that left since)."""
    status = 410 if error.expired or error.superseded else 400
    return render(
        request,
        "subscriptions/bad_link.html",
        {
            "expired": error.expired,
            "superseded": error.superseded,
        },
        status=status,
    )


def signed_link(purpose: str):
    """Views reached from a signed link: they receive the subscription it names,
    and a tampered or expired link gets the clear bad-link page instead."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, token: str) -> HttpResponse:
            try:
                subscription = tokens.read_token(token, purpose)
            except tokens.TokenError as error:
                return bad_link(request, error)
            return view(request, subscription)

        return wrapper

    return decorator


# The pause_reason of a pause asked for on the manage page (bounces give the server's answer).
PAUSED_BY_SUBSCRIBER = "paused by the subscriber"


def _manage_url(subscription) -> str:
    return reverse("subscriptions:manage", args=[tokens.make_token(subscription, tokens.MANAGE)])


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.user.is_authenticated:
        initial["email"] = request.user.email
    form = SubscribeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow("subscribe", request):
            form.add_error(None, _("Too many subscription requests from your connection: try again in an hour."))
            return render(request, "subscriptions/subscribe.html", {"form": form}, status=429)
        email = form.cleaned_data["email"].strip().lower()
        _subscription, kind = services.subscribe(
            email,
            form.preferences(),
            user=request.user if request.user.is_authenticated else None,
            language=_lang(),
        )
        # Same page whatever the address: known, unknown, confirmed or not.
        # Only to whoever asked for this address from this browser before do we
        # say that no new message went out (a stranger learns nothing).
        asked = request.session.get(ASKED_SESSION_KEY, [])
        digest = _digest(email)
        if kind is None and digest in asked:
            return render(request, "subscriptions/subscribe_sent.html", {"already_sent": True})
        if kind is not None and digest not in asked:
            request.session[ASKED_SESSION_KEY] = [*asked, digest][-20:]
        return redirect("subscriptions:subscribe_sent")
    return render(request, "subscriptions/subscribe.html", {"form": form}, status=400 if form.errors else 200)


ASKED_SESSION_KEY = "subscriptions_asked"


def _digest(email: str) -> str:
    # The session keeps which addresses this browser asked for, not the addresses.
    return hashlib.sha256(email.encode()).hexdigest()[:16]


def subscribe_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "subscriptions/subscribe_sent.html")


@require_http_methods(["GET", "POST"])
@signed_link(tokens.CONFIRM)
def confirm(request: HttpRequest, subscription) -> HttpResponse:
    if request.method == "POST":
        services.confirm(subscription)
        services.link_account(subscription, request.user)
        return render(
            request,
            "subscriptions/confirmed.html",
            {
                "subscription": subscription,
                "manage_url": _manage_url(subscription),
            },
        )
    # A GET only shows the button: mail scanners that follow links must not subscribe anyone.
    return render(request, "subscriptions/confirm.html", {"subscription": subscription})


@require_http_methods(["GET", "POST"])
@signed_link(tokens.MANAGE)
def manage(request: HttpRequest, subscription) -> HttpResponse:
    if request.method == "POST" and request.POST.get("action") == "pause" and subscription.is_active:
        # A break (holidays, a busy month) without losing the preferences or leaving.
        services.pause(subscription, PAUSED_BY_SUBSCRIBER)
        messages.success(request, _("Your digest is paused: nothing is sent until you resume it."))
        return redirect(request.path)
    if request.method == "POST" and request.POST.get("action") == "resume":
        services.resume(subscription)
        messages.success(request, _("Your digest is active again."))
        return redirect(request.path)
    if request.method == "POST" and request.POST.get("action") == "resubscribe" and subscription.unsubscribed_at:
        # Coming back after leaving takes a fresh confirmation, never an old link.
        if services.resubscribe(subscription, _lang()) is None:
            messages.info(request, _("We already sent you a confirmation link: check your inbox."))
        else:
            messages.success(
                request, _("We sent you a new confirmation link: your digest starts again once you follow it.")
            )
        return redirect(request.path)
    form = PreferencesForm(request.POST or None, initial=PreferencesForm.initial_from(subscription))
    if request.method == "POST" and form.is_valid():
        services.apply_preferences(subscription, form.preferences())
        if subscription.unsubscribed_at:
            # A form from an old digest does not bring an address back silently.
            messages.success(
                request, _("Your preferences are saved. You are unsubscribed: subscribe again to receive the digest.")
            )
        else:
            # Following the manage link proves the address works.
            services.confirm(subscription)
            messages.success(request, _("Your preferences are saved."))
        return redirect(request.path)
    return render(
        request,
        "subscriptions/manage.html",
        {
            "form": form,
            "subscription": subscription,
            "paused_by_subscriber": subscription.pause_reason == PAUSED_BY_SUBSCRIBER,
            "unsubscribe_url": reverse(
                "subscriptions:unsubscribe", args=[tokens.make_token(subscription, tokens.UNSUBSCRIBE)]
            ),
        },
        status=400 if form.errors else 200,
    )


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without a session; the signed token is the proof
@require_http_methods(["GET", "POST"])
@signed_link(tokens.UNSUBSCRIBE)
def unsubscribe(request: HttpRequest, subscription) -> HttpResponse:
    if request.method == "POST":
        services.unsubscribe(subscription)
        return render(
            request,
            "subscriptions/unsubscribed.html",
            {
                "subscription": subscription,
                "manage_url": _manage_url(subscription),
            },
        )
    return render(request, "subscriptions/unsubscribe.html", {"subscription": subscription})


def city_peers(request: HttpRequest, slug: str) -> HttpResponse:
    city = City.by_slug(slug)
    if city is None:
        raise Http404("No such city")
    language = _lang()
    # Worked out from the corpus kept for the site's generation, and kept by the process as long:
    # the next reader neither reads the corpus back nor ranks every city again.
    lists = kept_by_process(
        f"peers:{city.pk}:{language}", lambda: matching.peer_lists(city.pk, matching.kept_corpus(), language)
    )
    return render(request, "subscriptions/city_peers.html", {"city": city, "lists": lists})
