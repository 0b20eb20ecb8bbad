// Drives the guide's Java token client (content/examples/token-client/TokenClient.java, compiled
// beside this file) for a client check: CALLERS threads call the API through one TokenClient for
// RUN_SECONDS, CALL_EVERY_SECONDS apart, and the result is one JSON line.
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

public class CheckDriver {
    public static void main(String[] args) throws InterruptedException {
        String origin = System.getenv("SANDBOX_URL");
        TokenClient client = new TokenClient(System.getenv("CLIENT_ID"), System.getenv("CLIENT_SECRET"),
                origin + "/oauth/token", origin + "/api/v1");
        long until = System.nanoTime() + (long) (Double.parseDouble(System.getenv("RUN_SECONDS")) * 1e9);
        int callers = Integer.parseInt(System.getenv("CALLERS"));
        long every = (long) (Double.parseDouble(System.getenv("CALL_EVERY_SECONDS")) * 1000);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicInteger failures = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() - until < 0) {
                    try {
                        HttpResponse<String> response = client.get("/reports");
                        statuses.merge(response.statusCode(), 1, Integer::sum);
                    } catch (Exception error) {
                        failures.incrementAndGet();
                    }
                    try {
                        Thread.sleep(every);
                    } catch (InterruptedException stopped) {
                        return;
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) thread.join();
        StringBuilder json = new StringBuilder("{\"statuses\":{");
        statuses.forEach((status, count) -> json.append(json.charAt(json.length() - 1) == '{' ? "" : ",")
                .append('"').append(status).append("\":").append(count));
        json.append("},\"failures\":").append(failures.get()).append(",\"token_requests\":").append(client.tokenRequests()).append('}');
        System.out.println(json);
    }
}
