using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;
using Npgsql;

namespace AgenteVendedor.Bench;

/// <summary>
/// Media in: N customer photos (without caption) delivered through signed webhooks, each downloaded by the product from
/// the fake Graph API (media id → url → bytes, sha256 checked) into PostgreSQL; side by side with the baseline of the same
/// N downloads made straight from the fake by 8 clients that only hash the bytes.
/// </summary>
public static class MediaBench
{
    private const string PhoneNumberId = "100200300600";
    private const string AccessToken = "EAAG-bench-medios";
    private const string AppSecret = "secreto-bench-medios";

    public static async Task RunAsync(ProductStack stack, PostgresDatabase database, FakeMessaging platforms, string token, int count, int kilobytes)
    {
        using var admin = stack.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        platforms.RegisterWhatsApp(PhoneNumberId, AccessToken);
        (await admin.PutAsJsonAsync("/canales/whatsapp", new
        {
            phone_number_id = PhoneNumberId, access_token = AccessToken, app_secret = AppSecret, verify_token = "verificacion-bench",
        })).EnsureSuccessStatusCode();

        var ids = new string[count];
        var bodies = new (byte[] Body, string Signature)[count];
        for (var i = 0; i < count; i++)
        {
            var bytes = RandomNumberGenerator.GetBytes(kilobytes * 1024);
            ids[i] = (500_000_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            platforms.RegisterMedia(ids[i], "image/jpeg", bytes);
            var customer = $"57330{i % 50:D7}";
            var body = MetaWebhook.Message(PhoneNumberId, customer, new JsonObject
            {
                ["from"] = customer, ["id"] = $"wamid.medios.{i}", ["type"] = "image",
                ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["image"] = new JsonObject { ["id"] = ids[i], ["mime_type"] = "image/jpeg", ["sha256"] = FakeMessaging.Sha256Of(bytes) },
            });
            bodies[i] = (body, MetaWebhook.Sign(body, AppSecret));
        }

        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var client = stack.CreateClient();
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(bodies[i].Body) };
                request.Headers.Add("X-Hub-Signature-256", bodies[i].Signature);
                (await client.SendAsync(request)).EnsureSuccessStatusCode();
            }
        }));

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        long stored = 0;
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (DateTime.UtcNow < deadline)
        {
            await using var counted = new NpgsqlCommand("SELECT count(*) FROM media WHERE status = 'guardado'", connection);
            stored = (long)(await counted.ExecuteScalarAsync())!;
            if (stored >= count)
            {
                break;
            }

            await Task.Delay(100);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var megabytes = count * kilobytes / 1024.0;
        Console.WriteLine($"product: {count:N0} photos of {kilobytes} KB through signed webhooks, {stored:N0} stored in PostgreSQL after {seconds:F1} s = "
            + $"{stored / seconds:F1} downloads/s, {megabytes / seconds:F1} MB/s (debounce, read receipt and the agent's notice included)");

        // Baseline: the same downloads straight from the fake, 8 at a time, hashing only.
        next = -1;
        var baseline = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var http = new HttpClient { BaseAddress = platforms.BaseUrl };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var meta = JsonNode.Parse(await http.GetStringAsync($"v21.0/{ids[i]}"))!;
                var bytes = await http.GetByteArrayAsync(meta["url"]!.GetValue<string>());
                SHA256.HashData(bytes);
            }
        }));
        var raw = baseline.Elapsed.TotalSeconds;
        Console.WriteLine($"baseline (straight from the fake, 8 clients): {count:N0} downloads in {raw:F1} s = {count / raw:F1} downloads/s, {megabytes / raw:F1} MB/s");
    }
}
