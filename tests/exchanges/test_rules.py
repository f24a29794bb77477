"""The rules and the state machine of an exchange request, called directly."""

import pytest
from django.utils import translation

from exchanges import actions, rules
from exchanges.models import CityContact, ExchangeBlock, ExchangeRequest

from .conftest import make_contact, make_member

pytestmark = pytest.mark.django_db


def test_only_verified_active_members_may_request(requester):
    assert rules.may_request(requester)
    unverified = make_member("unverified", verified=False)
    with translation.override("en"):  # outside a request the site's default language (French) is active
        decision = rules.may_request(unverified)
        assert not decision and "Confirm your e-mail" in decision.reason
    unverified.is_active = False
    assert not rules.may_request(unverified)


def test_an_unverified_member_cannot_send(send):
    with pytest.raises(actions.Refused):
        send(user=make_member("unverified", verified=False))
    assert not ExchangeRequest.objects.filter(requester__username__startswith="x-unverified").exists()


def test_the_verified_contacts_answer_else_the_reports_author(send, target, report, contact):
    unverified = make_member("unverified-contact")
    CityContact.objects.create(city=target, member=unverified, verified=False)
    exchange = send()
    assert [u.pk for u in rules.answerers(exchange)] == [contact.pk]
    CityContact.objects.filter(member=contact).update(verified=False)
    owner = make_member("owner")
    type(report).objects.filter(pk=report.pk).update(owner=owner)
    exchange.report.refresh_from_db()
    assert [u.pk for u in rules.answerers(exchange)] == [owner.pk]


def test_sent_then_accepted_records_both_consents(send, contact):
    exchange = send()
    assert exchange.state == "sent" and exchange.requester_consent_at is not None
    with pytest.raises(actions.Refused):
        actions.accept(contact, exchange, consent=False)
    actions.accept(contact, exchange, consent=True)
    exchange.refresh_from_db()
    assert exchange.state == "accepted" and exchange.accepted_by == contact
    assert exchange.contact_consent_at is not None and exchange.closed_at is not None
    # A final state: nothing more to answer.
    with pytest.raises(actions.Refused):
        actions.decline(contact, exchange, reason="Trop tard")


def test_declining_needs_a_reason(send, contact):
    exchange = send()
    with pytest.raises(actions.Refused):
        actions.decline(contact, exchange, reason="   ")
    actions.decline(contact, exchange, reason="Pas cette année.")
    exchange.refresh_from_db()
    assert (exchange.state, exchange.decline_reason) == ("declined", "Pas cette année.")


def test_handing_over_goes_to_a_colleague_of_the_same_city_only(send, contact, colleague, home):
    exchange = send()
    stranger = make_contact(home, "stranger")
    with pytest.raises(actions.Refused):
        actions.hand_over(contact, exchange, stranger)
    actions.hand_over(contact, exchange, colleague)
    exchange.refresh_from_db()
    assert exchange.state == "handed_over" and exchange.assigned_to == colleague
    assert [u.pk for u in rules.answerers(exchange)] == [colleague.pk]
    assert not rules.can_answer(contact, exchange)  # it is the colleague's now
    assert rules.can_see(contact, exchange)  # who handed it over still reads the thread


def test_only_the_requester_withdraws(send, contact, requester):
    exchange = send()
    with pytest.raises(actions.Refused):
        actions.withdraw(contact, exchange)
    actions.withdraw(requester, exchange)
    exchange.refresh_from_db()
    assert exchange.state == "withdrawn"
    with pytest.raises(actions.Refused):
        actions.accept(contact, exchange, consent=True)


def test_a_blocked_requester_cannot_ask_the_city_again(send, contact):
    exchange = send()
    actions.block_requester(contact, exchange)
    exchange.refresh_from_db()
    assert exchange.state == "declined"
    assert ExchangeBlock.objects.filter(member=exchange.requester, city=exchange.target_city).exists()
    with pytest.raises(actions.Refused):
        send()
    assert ExchangeRequest.objects.filter(requester=exchange.requester).count() == 1


def test_the_requester_cannot_block(send, requester, contact):
    exchange = send()
    with pytest.raises(actions.Refused):
        actions.block_requester(requester, exchange)


def test_consent_and_a_city_are_required(send, requester):
    with pytest.raises(actions.Refused):
        send(consent=False)
    with pytest.raises(actions.Refused):
        send(requesting_city=None)
    assert not ExchangeRequest.objects.filter(requester=requester).exists()


def test_a_new_city_can_be_named(send, contact):
    exchange = send(requesting_city=None, requesting_city_name="Ziguinchor", requesting_country="sn")
    assert exchange.requesting_city_label == "Ziguinchor (SN)"


def test_a_report_can_be_made_once(send, contact, outsider):
    exchange = send()
    with pytest.raises(actions.Refused):
        actions.report_request(outsider, exchange, "spam")  # not a participant
    actions.report_request(contact, exchange, "Démarchage commercial")
    with pytest.raises(actions.Refused):
        actions.report_request(contact, exchange, "encore")
    assert exchange.reports.count() == 1


def test_an_accepted_exchange_becomes_a_partnership(send, contact, requester):
    exchange = send()
    with pytest.raises(actions.Refused):
        actions.make_partnership(requester, exchange)  # not accepted yet
    actions.accept(contact, exchange, consent=True)
    partnership = actions.make_partnership(requester, exchange)
    exchange.refresh_from_db()
    assert exchange.partnership == partnership
    cities = {row.city_id for row in partnership.partner_cities.all()}
    assert cities == {exchange.target_city_id, exchange.requesting_city_id}
    assert partnership.kind == "video-call" and exchange.report in partnership.reports.all()
    with pytest.raises(actions.Refused):
        actions.make_partnership(contact, exchange)  # once
