using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;
using Npgsql;

// Benchmarks run by hand through bench/run.sh, which starts PostgreSQL and sets AV_TEST_POSTGRES.
//   import [rows]            100,000-row CSV through POST /productos/importar vs PostgreSQL COPY
//   orders [seconds] [clients] concurrent POST /ventas for one empresa: orders/s and latency percentiles
//   search [queries]         GET /productos/buscar latency at 1,000, 10,000 and 100,000 products
//   chat [seconds] [clients] POST /chat with the offline driver: requests/s and latency percentiles
//   webhooks [messages] [clients] signed WhatsApp deliveries: acks/s, p99 ack latency, messages answered/s end to end
//   reimport [rows]          an import that only changes stock, with and without a search index built before it
//   notifications [count]    order notifications/s through the outbox under Meta's 80 msg/s, beside unpaced sends
//   media [count] [kb]       customer photos downloaded through webhooks into PostgreSQL, beside straight downloads
var mode = args.FirstOrDefault() ?? "import";
await using var platforms = await FakeMessaging.StartAsync();
await using var database = await PostgresDatabase.CreateAsync();
await using var stack = await ProductStack.StartAsync(database, silos: 1, new Dictionary<string, string>
{
    ["Logging__LogLevel__Default"] = "Warning",
    ["Logging__LogLevel__Orleans.Runtime.Silo"] = "Warning",
    ["WhatsApp__GraphApiUrl"] = platforms.BaseUrl.ToString(),
    ["Channels__DebounceMilliseconds"] = "200",
});
using var http = stack.CreateClient();
http.Timeout = TimeSpan.FromMinutes(10);
var token = await RegisterAsync(http);
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

switch (mode)
{
    case "import":
        await ImportBenchAsync(http, database, stack, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000);
        break;
    case "orders":
        await OrdersBenchAsync(stack, token,
            args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20,
            args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 64);
        break;
    case "search":
        await SearchBenchAsync(stack, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300);
        break;
    case "chat":
        await ChatBenchAsync(stack, token,
            args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 15,
            args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16);
        break;
    case "webhooks":
        await WebhooksBenchAsync(stack, database, platforms, token,
            args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3000,
            args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 32);
        break;
    case "notifications":
        await AgenteVendedor.Bench.NotificationsBench.RunAsync(stack, database, platforms, token, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000);
        break;
    case "media":
        await AgenteVendedor.Bench.MediaBench.RunAsync(stack, database, platforms, token,
            args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200,
            args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 500);
        break;
    case "reimport":
        await ReimportBenchAsync(stack, args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50_000);
        break;
    default:
        Console.Error.WriteLine("usage: import [rows] | orders [seconds] [clients] | search [queries] | chat [seconds] [clients] | webhooks [messages] [clients] | reimport [rows] | notifications [count] | media [count] [kb]");
        return 2;
}

return 0;

static async Task<string> RegisterAsync(HttpClient http)
{
    var response = await http.PostAsJsonAsync("/auth/registro", new
    {
        empresa = new { nombre = "Ferretería Benchmark" },
        usuario = new { nombre = "Bench", email = $"bench.{Guid.NewGuid():N}@ejemplo.co", password = "clave-bench-1" },
    });
    response.EnsureSuccessStatusCode();
    return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
}

static string Catalog(int rows, int stockShift = 0)
{
    string[] families = ["Taladro", "Martillo", "Pintura", "Tubo PVC", "Cable", "Tornillo", "Brocha", "Llave", "Cemento", "Lija"];
    string[] categories = ["Herramientas", "Pinturas", "Plomería", "Eléctricos", "Construcción", "Fijaciones"];
    var builder = new StringBuilder("sku,nombre,descripcion,precio,stock,categoria\n");
    for (var i = 1; i <= rows; i++)
    {
        var family = families[i % families.Length];
        builder.Append(CultureInfo.InvariantCulture,
            $"BEN-{i:D6},{family} modelo {i},\"{family} de uso profesional, referencia {i}, garantía de un año y envío incluido\",{1000 + (i % 5000) * 100}.50,{(i + stockShift) % 200},{categories[i % categories.Length]}\n");
    }

    return builder.ToString();
}

static async Task ImportBenchAsync(HttpClient http, PostgresDatabase database, ProductStack stack, int rows)
{
    var csv = Encoding.UTF8.GetBytes(Catalog(rows));
    Console.WriteLine($"catalog: {rows:N0} rows, {csv.Length / 1024.0 / 1024.0:F1} MiB");

    async Task<(double Seconds, string Body)> ImportAsync()
    {
        using var content = new ByteArrayContent(csv);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var watch = Stopwatch.StartNew();
        using var response = await http.PostAsync("/productos/importar?modo=reemplazar", content);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException(body);
        }

        return (watch.Elapsed.TotalSeconds, body);
    }

    // Warm-up in another empresa: a running server has already compiled these code paths.
    using (var warm = stack.CreateClient())
    {
        warm.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await RegisterAsync(warm));
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Catalog(20_000)));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        (await warm.PostAsync("/productos/importar?modo=reemplazar", content)).EnsureSuccessStatusCode();
        using var again = new ByteArrayContent(Encoding.UTF8.GetBytes(Catalog(20_000)));
        again.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        (await warm.PostAsync("/productos/importar?modo=reemplazar", again)).EnsureSuccessStatusCode();
    }

    var first = await ImportAsync();
    Console.WriteLine($"HTTP import (reemplazar, all new): {first.Seconds:F2} s  {first.Body}");
    var second = await ImportAsync();
    Console.WriteLine($"HTTP import again (no-op):         {second.Seconds:F2} s  {second.Body}");

    await using var connection = new NpgsqlConnection(database.ConnectionString);
    await connection.OpenAsync();
    await using (var create = new NpgsqlCommand(
        "CREATE TABLE copy_baseline (sku varchar(64), name varchar(200), description varchar(2000), price numeric(14,2), stock integer, category varchar(100))",
        connection))
    {
        await create.ExecuteNonQueryAsync();
    }

    var copyWatch = Stopwatch.StartNew();
    await using (var writer = await connection.BeginTextImportAsync("COPY copy_baseline FROM STDIN (FORMAT csv, HEADER true)"))
    {
        await writer.WriteAsync(Encoding.UTF8.GetString(csv));
    }

    var copySeconds = copyWatch.Elapsed.TotalSeconds;
    Console.WriteLine($"PostgreSQL COPY, same rows, bare table:          {copySeconds:F2} s");

    // The same rows into the real products table, with its key, unique sku index, foreign key and checks.
    var tenantId = Guid.NewGuid();
    await using (var tenant = new NpgsqlCommand("INSERT INTO tenants (id, name) VALUES (@id, 'COPY baseline')", connection))
    {
        tenant.Parameters.AddWithValue("id", tenantId);
        await tenant.ExecuteNonQueryAsync();
    }

    var withIds = new StringBuilder();
    foreach (var line in Encoding.UTF8.GetString(csv).Split('\n').Skip(1).Where(l => l.Length > 0))
    {
        withIds.Append(CultureInfo.InvariantCulture, $"{Guid.CreateVersion7()},{tenantId},{line}\n");
    }

    var tableWatch = Stopwatch.StartNew();
    await using (var writer = await connection.BeginTextImportAsync(
        "COPY products (id, tenant_id, sku, name, description, price, stock, category) FROM STDIN (FORMAT csv)"))
    {
        await writer.WriteAsync(withIds.ToString());
    }

    var tableSeconds = tableWatch.Elapsed.TotalSeconds;
    Console.WriteLine($"PostgreSQL COPY, same rows, products table:      {tableSeconds:F2} s");
    Console.WriteLine($"ratio import / COPY: {first.Seconds / copySeconds:F1}x against the bare table, {first.Seconds / tableSeconds:F1}x against products (no-op: {second.Seconds / tableSeconds:F1}x)");
    Console.WriteLine($"peak memory: silo {stack.Silos[0].PeakMemoryMiB()} MiB, api {stack.Api.PeakMemoryMiB()} MiB (file {csv.Length / 1024 / 1024} MiB)");
}

static async Task OrdersBenchAsync(ProductStack stack, string token, int seconds, int clients)
{
    using var admin = stack.CreateClient();
    admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    var catalog = new StringBuilder("sku,nombre,descripcion,precio,stock,categoria\n");
    for (var i = 1; i <= 1000; i++)
    {
        catalog.Append(CultureInfo.InvariantCulture, $"ORD-{i:D4},Producto {i},Para la prueba de ventas,{1000 + i},1000000,General\n");
    }

    using (var content = new StringContent(catalog.ToString(), Encoding.UTF8, "text/csv"))
    {
        (await admin.PostAsync("/productos/importar?modo=reemplazar", content)).EnsureSuccessStatusCode();
    }

    var products = JsonNode.Parse(await admin.GetStringAsync("/productos?tamano=500"))!["items"]!.AsArray()
        .Select(p => p!["id"]!.GetValue<string>()).ToArray();

    // Warm-up: activations, JIT, connection pools.
    await RunAsync(TimeSpan.FromSeconds(3));
    var (count, errors, latencies, elapsed) = await RunAsync(TimeSpan.FromSeconds(seconds));
    latencies.Sort();
    double Percentile(double p) => latencies[(int)Math.Min(latencies.Count - 1, Math.Ceiling(p * latencies.Count) - 1)];
    Console.WriteLine($"{clients} clients, {elapsed.TotalSeconds:F1} s: {count:N0} orders ({errors} errors) = {count / elapsed.TotalSeconds:F0} orders/s");
    Console.WriteLine($"latency ms: p50 {Percentile(0.50):F1}  p90 {Percentile(0.90):F1}  p99 {Percentile(0.99):F1}  max {latencies[^1]:F1}");

    async Task<(int Count, int Errors, List<double> Latencies, TimeSpan Elapsed)> RunAsync(TimeSpan duration)
    {
        var all = new List<double>();
        var ok = 0;
        var failed = 0;
        var deadline = DateTime.UtcNow + duration;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            using var client = stack.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var random = new Random(c);
            var mine = new List<double>();
            while (DateTime.UtcNow < deadline)
            {
                var items = Enumerable.Range(0, random.Next(1, 4))
                    .Select(_ => new { producto_id = products[random.Next(products.Length)], cantidad = random.Next(1, 4) })
                    .DistinctBy(i => i.producto_id)
                    .ToArray();
                var start = Stopwatch.GetTimestamp();
                using var response = await client.PostAsJsonAsync("/ventas", new { items });
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    Interlocked.Increment(ref ok);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }

            lock (all)
            {
                all.AddRange(mine);
            }
        }));
        return (ok, failed, all, watch.Elapsed);
    }
}

static string VariedCatalog(int rows)
{
    string[] nouns = ["taladro", "martillo", "pintura", "tubo", "cable", "tornillo", "brocha", "llave", "cemento", "lija", "sierra", "nivel",
        "flexometro", "alicate", "destornillador", "manguera", "carretilla", "guantes", "gafas", "cerradura", "bombillo", "enchufe", "grifo",
        "sellador", "pegamento", "varilla", "arena", "rodillo", "esmalte", "extintor", "escalera", "candado", "bisagra", "clavo", "taco"];
    string[] adjectives = ["industrial", "inalambrico", "galvanizado", "blanco", "negro", "rojo", "reforzado", "compacto", "profesional",
        "economico", "de acero", "de cobre", "de aluminio", "de pvc", "ahorrador", "resistente al agua", "plegable", "ajustable"];
    string[] brands = ["Andes", "Condor", "Pacifico", "Sierra", "Llanos", "Caribe", "Austral", "Volcan", "Selva", "Amazonas", "Patagonia"];
    var random = new Random(42);
    var builder = new StringBuilder("sku,nombre,descripcion,precio,stock,categoria\n");
    for (var i = 1; i <= rows; i++)
    {
        var noun = nouns[random.Next(nouns.Length)];
        var adjective = adjectives[random.Next(adjectives.Length)];
        var brand = brands[random.Next(brands.Length)];
        builder.Append(CultureInfo.InvariantCulture,
            $"S-{i:D6},{noun} {adjective} {brand} {i},\"{noun} {adjective} marca {brand}, {adjectives[random.Next(adjectives.Length)]}, referencia {i}\",{1000 + random.Next(100000)},{random.Next(500)},{noun}\n");
    }

    return builder.ToString();
}

static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];

static async Task SearchBenchAsync(ProductStack stack, int queries)
{
    string[] asks = ["taladro inalambrico", "pintura blanca", "tubo de pvc", "cable de cobre", "escalera plegable de aluminio",
        "llave ajustable profesional", "guantes resistentes al agua", "candado de acero", "sellador para baño", "martillo economico",
        "bombillo ahorrador", "grifo para lavamanos", "carretilla reforzada", "manguera para jardin", "lija fina"];
    foreach (var size in new[] { 1_000, 10_000, 100_000 })
    {
        using var http = stack.CreateClient();
        http.Timeout = TimeSpan.FromMinutes(10);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await RegisterAsync(http));
        using (var content = new StringContent(VariedCatalog(size), Encoding.UTF8, "text/csv"))
        {
            (await http.PostAsync("/productos/importar?modo=reemplazar", content)).EnsureSuccessStatusCode();
        }

        var build = Stopwatch.StartNew();
        (await http.GetAsync("/productos/buscar?q=taladro&k=5")).EnsureSuccessStatusCode();
        var buildSeconds = build.Elapsed.TotalSeconds;
        var latencies = new List<double>();
        for (var i = 0; i < queries; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync($"/productos/buscar?q={Uri.EscapeDataString(asks[i % asks.Length])}&k=5");
            response.EnsureSuccessStatusCode();
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        latencies.Sort();
        Console.WriteLine($"{size,7:N0} products: first search (embeds + builds the index) {buildSeconds:F1} s; "
            + $"then {queries} searches over HTTP: p50 {Percentile(latencies, 0.5):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms");
    }
}

static async Task ChatBenchAsync(ProductStack stack, string token, int seconds, int clients)
{
    using var admin = stack.CreateClient();
    admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    using (var content = new StringContent(File.ReadAllText(Repository.EvalFile("ferreteria.csv")), Encoding.UTF8, "text/csv"))
    {
        (await admin.PostAsync("/productos/importar?modo=reemplazar", content)).EnsureSuccessStatusCode();
    }

    string[] script = ["hola, ¿tienen taladro para concreto?", "quiero 1", "necesito pintura blanca para interior", "dame 2", "qué llevo en el carrito", "quita la pintura"];
    var all = new List<double>();
    var count = 0;
    var deadline = DateTime.UtcNow.AddSeconds(seconds);
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
    {
        using var client = stack.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var mine = new List<double>();
        string? conversation = null;
        for (var turn = 0; DateTime.UtcNow < deadline; turn++)
        {
            if (turn % script.Length == 0)
            {
                conversation = null;
            }

            var start = Stopwatch.GetTimestamp();
            using var response = await client.PostAsJsonAsync("/chat", conversation is null
                ? (object)new { mensaje = script[turn % script.Length] }
                : new { mensaje = script[turn % script.Length], conversacion_id = conversation });
            response.EnsureSuccessStatusCode();
            conversation ??= JsonNode.Parse(await response.Content.ReadAsStringAsync())!["conversacion_id"]!.GetValue<string>();
            mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        lock (all)
        {
            all.AddRange(mine);
            count += mine.Count;
        }
    }));
    all.Sort();
    Console.WriteLine($"/chat offline, {clients} clients, {watch.Elapsed.TotalSeconds:F1} s: {count:N0} turns = {count / watch.Elapsed.TotalSeconds:F0} turns/s");
    Console.WriteLine($"latency ms: p50 {Percentile(all, 0.5):F1}  p90 {Percentile(all, 0.9):F1}  p99 {Percentile(all, 0.99):F1}");
}

static async Task WebhooksBenchAsync(ProductStack stack, PostgresDatabase database, FakeMessaging platforms, string token, int messages, int clients)
{
    const string phoneNumberId = "100200300400";
    const string appSecret = "secreto-bench";
    using var admin = stack.CreateClient();
    admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    using (var content = new StringContent(File.ReadAllText(Repository.EvalFile("ferreteria.csv")), Encoding.UTF8, "text/csv"))
    {
        (await admin.PostAsync("/productos/importar?modo=reemplazar", content)).EnsureSuccessStatusCode();
    }

    // The fake Graph API answers only numbers it was told about, with their own token.
    platforms.RegisterWhatsApp(phoneNumberId, "EAAG-bench");
    (await admin.PutAsJsonAsync("/canales/whatsapp", new { phone_number_id = phoneNumberId, access_token = "EAAG-bench", app_secret = appSecret, verify_token = "verificacion-bench" }))
        .EnsureSuccessStatusCode();
    string[] texts = ["¿tienen taladro para concreto?", "quiero 1", "¿a cómo el cemento?", "tengo una fuga en la rosca de un tubo", "¿qué llevo en el carrito?"];
    var bodies = Enumerable.Range(0, messages).Select(i =>
    {
        var body = MetaWebhook.TextMessage(phoneNumberId, $"57310{i % 500:D7}", $"wamid.bench.{i}", texts[i % texts.Length]);
        return (Body: body, Signature: MetaWebhook.Sign(body, appSecret));
    }).ToArray();

    var latencies = new List<double>();
    var next = -1;
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
    {
        using var client = stack.CreateClient();
        var mine = new List<double>();
        int i;
        while ((i = Interlocked.Increment(ref next)) < bodies.Length)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(bodies[i].Body) };
            request.Headers.Add("X-Hub-Signature-256", bodies[i].Signature);
            var start = Stopwatch.GetTimestamp();
            using var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
            mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        lock (latencies)
        {
            latencies.AddRange(mine);
        }
    }));
    var ackSeconds = watch.Elapsed.TotalSeconds;
    latencies.Sort();
    Console.WriteLine($"{messages:N0} signed deliveries from {clients} clients: {messages / ackSeconds:F0} acks/s, "
        + $"ack latency p50 {Percentile(latencies, 0.5):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms");

    await using var connection = new NpgsqlConnection(database.ConnectionString);
    await connection.OpenAsync();
    var deadline = DateTime.UtcNow.AddMinutes(5);
    long processed = 0;
    while (DateTime.UtcNow < deadline)
    {
        await using var count = new NpgsqlCommand("SELECT count(*) FROM inbound_messages WHERE processed_at IS NOT NULL", connection);
        processed = (long)(await count.ExecuteScalarAsync())!;
        if (processed >= messages)
        {
            break;
        }

        await Task.Delay(250);
    }

    await using var span = new NpgsqlCommand("SELECT extract(epoch FROM max(processed_at) - min(received_at)) FROM inbound_messages", connection);
    var seconds = Convert.ToDouble(await span.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    Console.WriteLine($"answered end to end: {processed:N0} messages in {seconds:F1} s = {processed / seconds:F0} messages/s "
        + $"({platforms.Snapshot().Count:N0} replies sent: bursts per customer are answered together; 200 ms debounce)");
}

// The same stock-only re-import in two empresas side by side: one that has never searched (no index),
// one whose search index was built first. The index must follow the import at little cost: products
// whose text did not change are neither embedded nor indexed again.
static async Task ReimportBenchAsync(ProductStack stack, int rows)
{
    var catalog = Encoding.UTF8.GetBytes(Catalog(rows));
    var restocked = Encoding.UTF8.GetBytes(Catalog(rows, stockShift: 1));
    Console.WriteLine($"catalog: {rows:N0} rows; the re-import changes the stock of every row and nothing else");

    async Task<HttpClient> EmpresaAsync(byte[] first, bool search)
    {
        var http = stack.CreateClient();
        http.Timeout = TimeSpan.FromMinutes(30);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await RegisterAsync(http));
        await ImportAsync(http, first);
        // The first search embeds and indexes the whole catalog; past Orleans' 30 s call timeout it is
        // answered 503 while the build goes on in the grain, and a later search waits for that build.
        for (var attempt = 1; search; attempt++)
        {
            using var response = await http.GetAsync("/productos/buscar?q=taladro%20profesional&k=5");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 20)
            {
                throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
            }
        }

        return http;
    }

    static async Task<(double Seconds, string Body)> ImportAsync(HttpClient http, byte[] csv)
    {
        using var content = new ByteArrayContent(csv);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var watch = Stopwatch.StartNew();
        using var response = await http.PostAsync("/productos/importar?modo=reemplazar", content);
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.OK ? (watch.Elapsed.TotalSeconds, body) : throw new InvalidOperationException(body);
    }

    // Warm-up: both paths once on a small catalog, so neither measured run pays for the JIT.
    var small = Encoding.UTF8.GetBytes(Catalog(Math.Min(rows, 5_000)));
    var smallRestocked = Encoding.UTF8.GetBytes(Catalog(Math.Min(rows, 5_000), stockShift: 1));
    foreach (var search in new[] { false, true })
    {
        using var warm = await EmpresaAsync(small, search);
        await ImportAsync(warm, smallRestocked);
    }

    // Measured in the order A B B A, so that neither kind gains from running on warmer caches.
    using var plain = await EmpresaAsync(catalog, search: false);
    using var indexed = await EmpresaAsync(catalog, search: true);
    using var indexedToo = await EmpresaAsync(catalog, search: true);
    using var plainToo = await EmpresaAsync(catalog, search: false);
    var withoutIndex = new[] { await ImportAsync(plain, restocked) };
    var withIndex = new[] { await ImportAsync(indexed, restocked), await ImportAsync(indexedToo, restocked) };
    withoutIndex = [.. withoutIndex, await ImportAsync(plainToo, restocked)];
    Console.WriteLine($"stock-only re-import, no search before: {string.Join(" s, ", withoutIndex.Select(r => r.Seconds.ToString("F2", CultureInfo.InvariantCulture)))} s  {withoutIndex[0].Body}");
    Console.WriteLine($"stock-only re-import, after a search:   {string.Join(" s, ", withIndex.Select(r => r.Seconds.ToString("F2", CultureInfo.InvariantCulture)))} s  {withIndex[0].Body}");
    Console.WriteLine($"ratio after a search / without: {withIndex.Sum(r => r.Seconds) / withoutIndex.Sum(r => r.Seconds):F2}x (must be <= 1.5x)");
    var found = await indexed.GetStringAsync("/productos/buscar?q=taladro%20profesional&k=1");
    Console.WriteLine($"search after the re-import: {found[..Math.Min(found.Length, 160)]}...");
}
