package lienket.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Starts an in-process Neo4j for the Python test suite and keeps it up until stdin closes.
 *
 * <p>Bolt listens on a free local port and authentication is off (on with the argument
 * {@code --auth}, for tests of a refused login: the user {@code neo4j} keeps its initial
 * password and no other is accepted). Once ready it prints one
 * line, {@code NEO4J_READY bolt://127.0.0.1:PORT 5.26.x}, which tests/neo4j_server.py reads.
 * The suite holds our stdin open; when the test process ends, stdin closes and we shut down,
 * so no server outlives its tests, nor its files: the working folder is removed after it. The web
 * server is disabled: tests only speak Bolt.
 */
public final class Neo4jLauncher {
    private Neo4jLauncher() {}

    public static void main(String[] args) throws IOException {
        Path workDir = Files.createTempDirectory("lienket-neo4j-");
        boolean auth = args.length > 0 && args[0].equals("--auth");
        Neo4j neo4j = Neo4jBuilders.newInProcessBuilder(workDir).withDisabledServer()
                .withConfig(GraphDatabaseSettings.auth_enabled, auth).build();
        try {
            String version = neo4j.defaultDatabaseService().executeTransactionally(
                    "CALL dbms.components() YIELD versions RETURN versions[0] AS version",
                    Map.of(), result -> (String) result.next().get("version"));
            System.out.println("NEO4J_READY " + neo4j.boltURI() + " " + version);
            System.out.flush();
            waitForEndOfInput(System.in);
        } finally {
            neo4j.close();
            removeFolder(workDir);
        }
    }

    private static void removeFolder(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void waitForEndOfInput(InputStream input) throws IOException {
        byte[] buffer = new byte[256];
        while (input.read(buffer) != -1) {
            // The suite writes nothing; we only wait for the pipe to close.
        }
    }
}
