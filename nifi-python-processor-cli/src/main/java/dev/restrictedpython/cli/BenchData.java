package dev.restrictedpython.cli;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * What the bench runs: generated JSON records (the same for every contender, from a fixed seed) and one realistic
 * row transform, written so that it means the same thing row by row (one record in INPUT_DATA) and in bulk (all).
 */
final class BenchData {

    /**
     * Arithmetic on two numeric fields, string methods, a conditional, a nested field read; the seed's style
     * (a loop over INPUT_DATA building a list of dicts).
     */
    static final String STATEMENT = """
            result = []
            for row in INPUT_DATA:
                total = row["price"] * row["quantity"]
                result.append({
                    "id": row["id"],
                    "customer": row["customer"].strip().title(),
                    "total": round(total, 2),
                    "size": "large" if total >= 250 else "small",
                    "city": row["address"]["city"],
                    "active": row["active"],
                })
            return result
            """;

    private static final String[] FIRST = {"ada", "grace", "alan", "edsger", "barbara", "donald", "frances", "ken"};
    private static final String[] LAST = {"lovelace", "hopper", "turing", "dijkstra", "liskov", "knuth", "allen", "thompson"};
    private static final String[] CITIES = {"Lyon", "Porto", "Graz", "Turku", "Ghent", "Bergen", "Brno", "Cork"};

    private BenchData() {
    }

    /** {@code count} records as one JSON array, ids starting at {@code firstId}; ~7 fields of mixed types each. */
    static byte[] records(int firstId, int count) {
        Random random = new Random(42L + firstId);
        StringBuilder json = new StringBuilder(count * 190 + 2);
        json.append('[');
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                json.append(",\n");
            }
            int id = firstId + i;
            json.append("{\"id\":").append(id)
                    .append(",\"customer\":\" ").append(FIRST[random.nextInt(FIRST.length)]).append(' ')
                    .append(LAST[random.nextInt(LAST.length)]).append(" \"")
                    .append(",\"price\":").append(String.format(Locale.ROOT, "%.2f", 1 + random.nextDouble() * 99))
                    .append(",\"quantity\":").append(1 + random.nextInt(9))
                    .append(",\"active\":").append(random.nextBoolean())
                    .append(",\"address\":{\"city\":\"").append(CITIES[random.nextInt(CITIES.length)])
                    .append("\",\"zip\":\"").append(10000 + random.nextInt(89999)).append("\"}")
                    .append(",\"created\":\"2024-").append(String.format(Locale.ROOT, "%02d-%02dT%02d:%02d:00Z",
                            1 + random.nextInt(12), 1 + random.nextInt(28), random.nextInt(24), random.nextInt(60)))
                    .append("\"}");
        }
        json.append(']');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
