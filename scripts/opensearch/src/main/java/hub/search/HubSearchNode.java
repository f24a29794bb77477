package hub.search;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A single embedded OpenSearch 2.x node for local development and tests.
 *
 * The modules that the OpenSearch tarball ships under modules/ are loaded here
 * as classpath plugins (they all come from Maven Central, see ../pom.xml).
 * There is no security plugin: plain HTTP, no authentication.
 *
 * Usage: java -cp classes:lib/* hub.search.HubSearchNode CONFIG_DIR HOME_DIR [-E key=value ...]
 *
 * CONFIG_DIR holds opensearch.yml and log4j2.properties; HOME_DIR gets data/,
 * logs/, modules/ and plugins/ (the last two stay empty). -E settings win over
 * opensearch.yml, like the real CLI.
 */
public final class HubSearchNode {

    private static final List<Class<? extends Plugin>> MODULES = List.of(
            Netty4Plugin.class,          // transport-netty4: HTTP + transport
            CommonAnalysisPlugin.class,  // analysis-common: stemmers, asciifolding, (edge_)ngram, ...
            MapperExtrasPlugin.class,    // mapper-extras: search_as_you_type, scaled_float, rank_feature, ...
            PainlessPlugin.class,        // lang-painless: scripts (update_by_query, script scores)
            ReindexPlugin.class          // reindex: _reindex, _update_by_query, _delete_by_query
    );

    /** Node subclass, only to reach the protected constructor that takes classpath plugins. */
    static final class EmbeddedNode extends Node {
        EmbeddedNode(final Environment environment, final Collection<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }

        @Override
        protected void configureNodeAndClusterIdStateListener(final ClusterService clusterService) {
            // The stock implementation feeds the node/cluster id into the log4j layout of the
            // distribution's log4j2.properties; not needed with our console logging.
        }
    }

    private HubSearchNode() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: HubSearchNode CONFIG_DIR HOME_DIR [-E key=value ...]");
            System.exit(2);
        }
        final Path configDir = Paths.get(args[0]).toAbsolutePath().normalize();
        final Path homeDir = Paths.get(args[1]).toAbsolutePath().normalize();

        final Settings.Builder builder = Settings.builder()
                .put("path.home", homeDir.toString())
                .put("path.data", homeDir.resolve("data").toString())
                .put("path.logs", homeDir.resolve("logs").toString());
        for (int i = 2; i < args.length; i++) {
            String kv = args[i];
            if ("-E".equals(kv) && i + 1 < args.length) {
                kv = args[++i];
            } else if (kv.startsWith("-E")) {
                kv = kv.substring(2);
            }
            final int eq = kv.indexOf('=');
            if (eq <= 0) {
                System.err.println("bad setting (expected key=value): " + kv);
                System.exit(2);
            }
            builder.put(kv.substring(0, eq), kv.substring(eq + 1));
        }

        for (final String dir : new String[] { "data", "logs", "modules", "plugins" }) {
            Files.createDirectories(homeDir.resolve(dir));
        }

        final Environment environment = InternalSettingsPreparer.prepareEnvironment(
                builder.build(), Collections.emptyMap(), configDir, () -> "hub-node-1");
        LogConfigurator.registerErrorListener();
        LogConfigurator.configure(environment);

        final Node node = new EmbeddedNode(environment, MODULES);
        final String[] failure = new String[1];
        final CountDownLatch keepAlive = new CountDownLatch(1);
        final Thread keepAliveThread = new Thread(() -> {
            try {
                keepAlive.await();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "hub-search-keepalive");
        keepAliveThread.setDaemon(false);

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                if (!node.awaitClose(20, TimeUnit.SECONDS)) {
                    System.err.println("hub-search: node did not close within 20s");
                }
            } catch (final Exception e) {
                e.printStackTrace();
            } finally {
                keepAlive.countDown();
                if (failure[0] != null) {
                    // Last line of the log, where scripts/services.sh shows it.
                    System.err.println("hub-search: FAILED TO START: " + failure[0]);
                }
            }
        }, "hub-search-shutdown"));

        keepAliveThread.start();
        try {
            node.start();
        } catch (final Throwable t) {
            t.printStackTrace();
            final StringBuilder why = new StringBuilder();
            for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
                if (why.length() > 0) {
                    why.append(" <- caused by ");
                }
                why.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
            }
            failure[0] = why.toString();
            System.exit(1);
        }
        System.out.println("hub-search: node started, http " + environment.settings().get("http.port", "9200"));
    }
}
