using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;
using Npgsql;

namespace AgenteVendedor.Bench;

/// <summary>
/// Order notifications per second: N sales to N customers who never wrote (so each gets the mapped template), sent by
/// the product's outbox under the fake's Meta limits (80 msg/s per number by default), side by side with the baseline of
/// the same N template posts sent straight to the fake Graph API as fast as 32 clients can, without pacing.
/// </summary>
public static class NotificationsBench
{
    private const string PhoneNumberId = "100200300500";
    private const string AccessToken = "EAAG-bench-avisos";
    private const string WabaId = "900800700600";

    public static async Task RunAsync(ProductStack stack, PostgresDatabase database, FakeMessaging platforms, string token, int count)
    {
        using var admin = stack.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        platforms.RegisterWhatsApp(PhoneNumberId, AccessToken);
        platforms.RegisterTemplates(WabaId, AccessToken, new FakeMessaging.FakeTemplate("pedido_confirmado", "es", "Hola {{1}}, tu pedido {{2}} está confirmado."));
        (await admin.PutAsJsonAsync("/canales/whatsapp", new
        {
            phone_number_id = PhoneNumberId, access_token = AccessToken, app_secret = "secreto-bench", verify_token = "verificacion-bench", waba_id = WabaId,
        })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/canales/whatsapp/notificaciones", new Dictionary<string, object>
        {
            ["venta_confirmada"] = new { nombre = "pedido_confirmado", idioma = "es", parametros = new[] { "cliente", "venta" } },
        })).EnsureSuccessStatusCode();
        var product = await admin.PostAsJsonAsync("/productos", new { sku = "BEN-1", nombre = "Café 500 g", precio = 32000m, stock = count * 2, activo = true });
        product.EnsureSuccessStatusCode();
        var productId = JsonNode.Parse(await product.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

        var customers = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var created = await admin.PostAsJsonAsync("/clientes", new { nombre = $"Cliente {i}", telefono = $"+57321{i:D7}" });
            created.EnsureSuccessStatusCode();
            customers[i] = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        });

        var before = platforms.Snapshot().Count;
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var sale = await admin.PostAsJsonAsync("/ventas", new { cliente_id = customers[i], canal = "whatsapp", items = new[] { new { producto_id = productId, cantidad = 1 } } });
            sale.EnsureSuccessStatusCode();
        });
        var placed = watch.Elapsed.TotalSeconds;
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (platforms.Snapshot().Skip(before).Count(s => s.Status == 200) < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var total = watch.Elapsed.TotalSeconds;
        var sent = platforms.Snapshot().Skip(before).ToList();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var span = new NpgsqlCommand(
            "SELECT extract(epoch FROM max(updated_at) - min(created_at)), count(*) FILTER (WHERE status = 'enviada') FROM order_notifications", connection);
        await using var reader = await span.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (outboxSeconds, delivered) = (reader.GetDouble(0), reader.GetInt64(1));
        Console.WriteLine($"product: {count:N0} sales placed in {placed:F1} s; {delivered:N0} notifications sent in {outboxSeconds:F1} s from the first sale = "
            + $"{delivered / outboxSeconds:F1} notifications/s (limit 80 msg/s, paced at 90 %); refused by the fake: {sent.Count(s => s.Status != 200) + platforms.Refused.Count}; "
            + $"all seen by the fake after {total:F1} s");

        // Baseline: the same number of template sends straight at the fake, unpaced.
        const string baselineNumber = "100200300501";
        platforms.RegisterWhatsApp(baselineNumber, AccessToken);
        var next = -1;
        var ok = 0;
        var refused = 0;
        var baseline = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
        {
            using var http = new HttpClient { BaseAddress = platforms.BaseUrl };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                using var response = await http.PostAsJsonAsync($"v21.0/{baselineNumber}/messages", new
                {
                    messaging_product = "whatsapp", recipient_type = "individual", to = $"57322{i:D7}", type = "template",
                    template = new
                    {
                        name = "pedido_confirmado", language = new { code = "es" },
                        components = new[] { new { type = "body", parameters = new[] { new { type = "text", text = $"Cliente {i}" }, new { type = "text", text = "ABCD1234" } } } },
                    },
                });
                _ = response.IsSuccessStatusCode ? Interlocked.Increment(ref ok) : Interlocked.Increment(ref refused);
            }
        }));
        var seconds = baseline.Elapsed.TotalSeconds;
        Console.WriteLine($"baseline (unpaced, 32 clients straight to the fake): {count:N0} sends in {seconds:F1} s = {count / seconds:F0} sends/s; "
            + $"accepted {ok:N0}, refused by the 80 msg/s limit (130429) {refused:N0}");
    }
}
