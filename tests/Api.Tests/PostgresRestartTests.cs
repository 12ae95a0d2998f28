using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;
using Xunit.Abstractions;

namespace AgenteVendedor.Api.Tests;

/// <summary>
/// PostgreSQL restarts under the product (an operator's restart, a managed failover) while orders
/// keep arriving: every route works again soon after the database does, without restarting the
/// silo or the Api, and nothing that was acknowledged is lost. Its own PostgreSQL server.
/// </summary>
public sealed class PostgresRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private PostgresServer _server = null!;
    private PostgresDatabase _database = null!;
    private ProductStack _stack = null!;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        _database = await PostgresDatabase.CreateAsync(_server.ConnectionString);
        _stack = await ProductStack.StartAsync(_database, settings: new Dictionary<string, string>
        {
            // Nothing listens there: replies fail at once instead of reaching the internet.
            ["Telegram__ApiUrl"] = $"http://127.0.0.1:{ProductProcess.FreePort()}/",
            ["Channels__DebounceMilliseconds"] = "100",
        });
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        await _database.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task After_a_restart_under_load_every_route_answers_within_ten_seconds_and_no_acknowledged_sale_is_lost()
    {
        using var anonymous = new ApiClient(_stack.CreateClient());
        var tenant = await anonymous.RegisterAsync();
        var admin = tenant.Admin;
        var created = await admin.PostAsync("/productos", new { sku = "CARGA-1", nombre = "Tornillo de carga", precio = 100, stock = 1_000_000 });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var productId = created.Json["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "actualizar")).Status);
        var telegram = await admin.PutAsync("/canales/telegram", new { bot_token = "123456:ABC-token", secret_token = "secreto-telegram" });
        Assert.Equal(HttpStatusCode.OK, telegram.Status);
        var routes = Routes(anonymous, tenant, productId, telegram.Json["webhook_url"]!.GetValue<string>());
        Assert.Empty(await FailingAsync(routes));

        // Load: buyers of one unit each, without pause, through the restart.
        var answers = new ConcurrentBag<(HttpStatusCode Status, string? OrderId)>();
        using var stopLoad = new CancellationTokenSource();
        var buyers = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            while (!stopLoad.IsCancellationRequested)
            {
                var sale = await admin.PostAsync("/ventas", new { items = new[] { new { producto_id = productId, cantidad = 1 } } });
                answers.Add((sale.Status, sale.Status == HttpStatusCode.Created ? sale.Json["id"]!.GetValue<string>() : null));
            }
        })).ToList();
        await Task.Delay(1000);

        await _server.StopServerAsync();
        await Task.Delay(1500);
        var whileAway = await anonymous.GetAsync("/health/ready");
        await Task.Delay(1500);
        await _server.StartServerAsync();
        var accepting = Stopwatch.StartNew();
        List<string> failing;
        while ((failing = await FailingAsync(routes)).Count > 0 && accepting.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(200);
        }

        var recovered = accepting.Elapsed;
        await Task.Delay(1000);
        await stopLoad.CancelAsync();
        await Task.WhenAll(buyers);

        var byStatus = answers.GroupBy(a => a.Status).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"Routes answering again {recovered.TotalSeconds:F1} s after PostgreSQL accepted connections; " +
            $"orders during the run: {string.Join(", ", byStatus.Select(s => $"{(int)s.Key}: {s.Value}"))}");
        if (failing.Count > 0 || byStatus.ContainsKey(HttpStatusCode.InternalServerError))
        {
            output.WriteLine(_stack.Diagnostics());
        }

        Assert.True(failing.Count == 0, $"still failing after {recovered.TotalSeconds:F0} s: {string.Join(", ", failing)}");
        Assert.True(recovered < TimeSpan.FromSeconds(10), $"routes took {recovered.TotalSeconds:F1} s to answer again");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileAway.Status);
        Assert.Equal("no disponible", whileAway.Json["componentes"]!["base_de_datos"]!["estado"]!.GetValue<string>());

        // While the database was away the answer is 503 (try again), never a 500.
        Assert.All(byStatus.Keys, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, $"unexpected {(int)s}"));

        // Every acknowledged sale is there, and the stock dropped exactly by the sales recorded.
        var acknowledged = answers.Where(a => a.OrderId is not null).Select(a => a.OrderId!).ToHashSet();
        Assert.NotEmpty(acknowledged);
        var recorded = new HashSet<string>();
        for (var page = 1; ; page++)
        {
            var list = await admin.GetAsync($"/ventas?tamano=500&pagina={page}");
            Assert.Equal(HttpStatusCode.OK, list.Status);
            var items = list.Json["items"]!.AsArray();
            recorded.UnionWith(items.Where(s => s!["items"]![0]!["producto_id"]!.GetValue<string>() == productId).Select(s => s!["id"]!.GetValue<string>()));
            if (items.Count < 500)
            {
                break;
            }
        }

        Assert.Subset(recorded, acknowledged);
        var stock = (await admin.GetAsync($"/productos/{productId}")).Json["stock"]!.GetValue<int>();
        Assert.Equal(1_000_000 - recorded.Count, stock);
    }

    /// <summary>One call per kind of route: reads, writes, search, chat, reports, webhooks, sign-in, readiness.</summary>
    private static List<(string Name, Func<Task<bool>> Works)> Routes(ApiClient anonymous, Tenant tenant, string productId, string telegramWebhook)
    {
        var admin = tenant.Admin;
        var n = 0;
        async Task<bool> Is(Task<Answer> call, HttpStatusCode expected) => (await call).Status == expected;
        return
        [
            ("GET /health/ready", () => Is(anonymous.GetAsync("/health/ready"), HttpStatusCode.OK)),
            ("POST /auth/login", () => Is(anonymous.PostAsync("/auth/login", new { email = tenant.AdminEmail, password = ApiClient.Password }), HttpStatusCode.OK)),
            ("GET /empresa", () => Is(admin.GetAsync("/empresa"), HttpStatusCode.OK)),
            ("PUT /empresa", () => Is(admin.PutAsync("/empresa", new { nombre_agente = $"Agente {Interlocked.Increment(ref n)}" }), HttpStatusCode.OK)),
            ("GET /productos", () => Is(admin.GetAsync("/productos?buscar=martillo"), HttpStatusCode.OK)),
            ("POST /productos", () => Is(admin.PostAsync("/productos", new { nombre = $"Producto {Guid.NewGuid():N}", precio = 1000, stock = 5 }), HttpStatusCode.Created)),
            ("GET /productos/buscar", () => Is(admin.GetAsync("/productos/buscar?q=taladro"), HttpStatusCode.OK)),
            ("POST /clientes", () => Is(admin.PostAsync("/clientes", new { nombre = "Cliente", telefono = $"+57300{Random.Shared.Next(1_000_000, 9_999_999)}" }), HttpStatusCode.Created)),
            ("POST /ventas", () => Is(admin.PostAsync("/ventas", new { items = new[] { new { producto_id = productId, cantidad = 1 } } }), HttpStatusCode.Created)),
            ("GET /ventas", () => Is(admin.GetAsync("/ventas?tamano=1"), HttpStatusCode.OK)),
            ("GET /reportes/resumen", () => Is(admin.GetAsync("/reportes/resumen"), HttpStatusCode.OK)),
            ("POST /chat", () => Is(admin.PostAsync("/chat", new { mensaje = "¿tienen martillo?" }), HttpStatusCode.OK)),
            ("GET /conversaciones", () => Is(admin.GetAsync("/conversaciones"), HttpStatusCode.OK)),
            ("GET /auditoria", () => Is(admin.GetAsync("/auditoria?tamano=1"), HttpStatusCode.OK)),
            ("POST /webhooks/telegram", () => Is(PostTelegramAsync(anonymous, telegramWebhook), HttpStatusCode.OK)),
        ];
    }

    private static async Task<Answer> PostTelegramAsync(ApiClient anonymous, string webhook)
    {
        var update = new JsonObject
        {
            ["update_id"] = Random.Shared.Next(1, int.MaxValue),
            ["message"] = new JsonObject
            {
                ["message_id"] = 1,
                ["from"] = new JsonObject { ["id"] = 777, ["first_name"] = "Lucía" },
                ["chat"] = new JsonObject { ["id"] = 777, ["type"] = "private" },
                ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["text"] = "hola",
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook) { Content = new StringContent(update.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", "secreto-telegram");
        using var response = await anonymous.Http.SendAsync(request);
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers, await response.Content.ReadAsStringAsync());
    }

    private static async Task<List<string>> FailingAsync(List<(string Name, Func<Task<bool>> Works)> routes)
    {
        var failing = new List<string>();
        foreach (var (name, works) in routes)
        {
            try
            {
                if (!await works())
                {
                    failing.Add(name);
                }
            }
            catch (HttpRequestException)
            {
                failing.Add(name);
            }
        }

        return failing;
    }
}
