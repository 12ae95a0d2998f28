using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

/// <summary>
/// What a WhatsApp customer hears of their order: each change of estado reaches their phone once — as free text
/// while they wrote within 24 hours, as the empresa's approved template after that — and staff see on the sale
/// what was sent and what Meta said of it. Real Api and silo, fake Graph API on loopback.
/// </summary>
public sealed class OrderNotificationsTests : IAsyncLifetime
{
    private const string PhoneNumberId = "109876543777";
    private const string AppSecret = "secreto-de-la-app-meta";
    private const string AccessToken = "EAAG-token-de-notificaciones";
    private const string WabaId = "555000111222";

    private static readonly FakeMessaging.FakeTemplate Confirmed = new("pedido_confirmado", "es", "Hola {{1}}, tu pedido {{2}} por {{3}} está confirmado.");
    private static readonly FakeMessaging.FakeTemplate Shipped = new("pedido_enviado", "es", "Hola {{1}}, tu pedido {{2}} va en camino.");

    private PostgresDatabase _database = null!;
    private ProductStack _stack = null!;
    private FakeMessaging _platforms = null!;
    private ApiClient _anonymous = null!;
    private Tenant _tenant = null!;
    private string _hammer = null!;

    public async Task InitializeAsync()
    {
        _platforms = await FakeMessaging.StartAsync();
        _platforms.RegisterWhatsApp(PhoneNumberId, AccessToken);
        _platforms.RegisterTemplates(WabaId, AccessToken, Confirmed, Shipped);
        _database = await PostgresDatabase.CreateAsync();
        _stack = await ProductStack.StartAsync(_database, silos: 1, new Dictionary<string, string>
        {
            ["WhatsApp__GraphApiUrl"] = _platforms.BaseUrl.ToString(),
            ["Channels__DebounceMilliseconds"] = "200",
            ["Channels__BackoffMilliseconds"] = "50",
            ["Notifications__BackoffMilliseconds"] = "200",
        });
        _anonymous = new ApiClient(_stack.CreateClient());
        _tenant = await _anonymous.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await _tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "reemplazar")).Status);
        var configured = await _tenant.Admin.PutAsync("/canales/whatsapp", new
        {
            phone_number_id = PhoneNumberId, access_token = AccessToken, app_secret = AppSecret, verify_token = "verificar", waba_id = WabaId,
        });
        Assert.True(configured.Status == HttpStatusCode.OK, configured.Body);
        _hammer = (await _tenant.Admin.GetAsync("/productos?buscar=martillo")).Json["items"]![0]!["id"]!.GetValue<string>();
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        File.AppendAllText("/tmp/notify-logs.txt", _stack.Api.Output + "\n---SILO---\n" + string.Join("\n", _stack.Silos.Select(s => s.Output)) + "\n=====\n");
        await _stack.DisposeAsync();
        await _database.DisposeAsync();
        await _platforms.DisposeAsync();
    }

    private static string NewPhone() => "57310" + Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);

    /// <summary>The customer writes on WhatsApp, <paramref name="ago"/> before now by Meta's timestamp.</summary>
    private async Task CustomerWritesAsync(string phone, string text, TimeSpan ago)
    {
        var body = MetaWebhook.Message(PhoneNumberId, phone, new JsonObject
        {
            ["from"] = phone,
            ["id"] = $"wamid.{Guid.NewGuid():N}",
            ["timestamp"] = (DateTimeOffset.UtcNow - ago).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["type"] = "text",
            ["text"] = new JsonObject { ["body"] = text },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Hub-Signature-256", MetaWebhook.Sign(body, AppSecret));
        using var response = await _anonymous.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<string> CustomerAsync(string phone, string name)
    {
        var created = await _tenant.Admin.PostAsync("/clientes", new { nombre = name, telefono = "+" + phone });
        Assert.True(created.Status == HttpStatusCode.Created, created.Body);
        return created.Json["id"]!.GetValue<string>();
    }

    private async Task<string> WhatsAppSaleAsync(string customerId, int quantity = 1)
    {
        var sale = await _tenant.Admin.PostAsync("/ventas", new
        {
            cliente_id = customerId, canal = "whatsapp", items = new[] { new { producto_id = _hammer, cantidad = quantity } },
        });
        Assert.True(sale.Status == HttpStatusCode.Created, sale.Body);
        return sale.Json["id"]!.GetValue<string>();
    }

    private async Task MoveAsync(string sale, string estado, string? nota = null)
    {
        var moved = await _tenant.Admin.PatchAsync($"/ventas/{sale}/estado", new { estado, nota });
        Assert.True(moved.Status == HttpStatusCode.OK, moved.Body);
    }

    /// <summary>Waits until the sale shows <paramref name="count"/> notifications, none of them still pendiente.</summary>
    private async Task<JsonArray> NotificationsAsync(string sale, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var read = await _tenant.Admin.GetAsync($"/ventas/{sale}");
            Assert.Equal(HttpStatusCode.OK, read.Status);
            var list = read.Json["notificaciones"]!.AsArray();
            if (list.Count == count && list.All(n => n!["estado"]!.GetValue<string>() != "pendiente"))
            {
                return list;
            }

            Assert.True(DateTime.UtcNow < deadline, $"expected {count} settled notifications: {list.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    // What the customer reads: the text of a text message, or the template's name.
    private static string TextOf(FakeMessaging.Sent sent) => sent.Body["text"]?["body"]?.GetValue<string>() ?? "";

    [Fact]
    public async Task Inside_the_window_every_estado_reaches_the_customer_once_as_text_and_the_sale_shows_it()
    {
        var phone = NewPhone();
        await CustomerWritesAsync(phone, "hola, ¿tienen martillos?", TimeSpan.FromMinutes(5));
        var greeting = await _platforms.WaitForAsync(phone, 1);
        var customer = await CustomerAsync(phone, "Marta Ruiz");

        var sale = await WhatsAppSaleAsync(customer);
        var expected = new List<(string Evento, string Palabra)> { ("venta_confirmada", "confirmad") };
        Assert.Single(await NotificationsAsync(sale, 1));
        foreach (var (estado, palabra) in new[] { ("preparando", "prepar"), ("enviada", "camino"), ("entregada", "entregad") })
        {
            await MoveAsync(sale, estado, estado == "enviada" ? "Sale con el mensajero Juan" : null);
            expected.Add(("venta_" + estado, palabra));
            await NotificationsAsync(sale, expected.Count);
        }

        var notifications = await NotificationsAsync(sale, 4);
        Assert.Equal(expected.Select(e => e.Evento), notifications.Select(n => n!["evento"]!.GetValue<string>()));
        Assert.All(notifications, n =>
        {
            Assert.Equal("texto", n!["via"]!.GetValue<string>());
            Assert.Equal("enviada", n["estado"]!.GetValue<string>());
            Assert.Null(n["plantilla"]?.GetValue<string>());
        });

        // One message per estado, after the agent's greeting, each naming its estado; the shipping note is passed on.
        var received = _platforms.To(phone).Skip(greeting.Count).ToList();
        Assert.Equal(4, received.Count);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("text", received[i].Body["type"]!.GetValue<string>());
            Assert.Contains(expected[i].Palabra, TextOf(received[i]), StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("Sale con el mensajero Juan", TextOf(received[2]), StringComparison.Ordinal);
        Assert.Contains("Marta", TextOf(received[0]), StringComparison.Ordinal);
        Assert.Empty(_platforms.Refused);

        // Meta reports the last one delivered, then read (out of order: read first): the sale shows it read.
        var wamid = await LastWamidAsync(sale);
        await DeliverStatusesAsync(Status(wamid, "read", phone), Status(wamid, "delivered", phone));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while ((await NotificationsAsync(sale, 4))[3]!["estado"]!.GetValue<string>() != "leida")
        {
            Assert.True(DateTime.UtcNow < deadline, "the read status never showed on the sale");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Annulling_tells_the_customer_once_and_moving_back_to_the_same_estado_tells_nothing()
    {
        var phone = NewPhone();
        await CustomerWritesAsync(phone, "buenas", TimeSpan.FromHours(2));
        var greeting = await _platforms.WaitForAsync(phone, 1);
        var sale = await WhatsAppSaleAsync(await CustomerAsync(phone, "Pedro Pérez"), quantity: 2);
        await NotificationsAsync(sale, 1);
        await MoveAsync(sale, "anulada", "Sin stock en bodega");
        await MoveAsync(sale, "anulada");

        var notifications = await NotificationsAsync(sale, 2);
        Assert.Equal(["venta_confirmada", "venta_anulada"], notifications.Select(n => n!["evento"]!.GetValue<string>()));
        var received = _platforms.To(phone).Skip(greeting.Count).ToList();
        Assert.Equal(2, received.Count);
        Assert.Contains("anulad", TextOf(received[1]), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Sin stock en bodega", TextOf(received[1]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_25_hours_the_mapped_template_goes_out_with_its_parameters_and_an_event_without_one_is_omitted()
    {
        var mapped = await _tenant.Admin.PutAsync("/canales/whatsapp/notificaciones", new Dictionary<string, object?>
        {
            ["venta_confirmada"] = new { nombre = Confirmed.Name, idioma = "es", parametros = new[] { "cliente", "venta", "total" } },
            ["venta_enviada"] = new { nombre = Shipped.Name, idioma = "es", parametros = new[] { "cliente", "venta" } },
        });
        Assert.True(mapped.Status == HttpStatusCode.OK, mapped.Body);
        Assert.Equal(Confirmed.Name, mapped.Json["venta_confirmada"]!["nombre"]!.GetValue<string>());
        Assert.Null(mapped.Json["venta_preparando"]);

        var phone = NewPhone();
        await CustomerWritesAsync(phone, "hola", TimeSpan.FromHours(25));
        var greeting = await _platforms.WaitForAsync(phone, 1);
        var sale = await WhatsAppSaleAsync(await CustomerAsync(phone, "Lucía Gómez"));
        await NotificationsAsync(sale, 1);
        await MoveAsync(sale, "preparando");
        await MoveAsync(sale, "enviada");

        var notifications = await NotificationsAsync(sale, 3);
        Assert.Equal(["plantilla", null, "plantilla"], notifications.Select(n => n!["via"]?.GetValue<string>()));
        Assert.Equal(["enviada", "omitida", "enviada"], notifications.Select(n => n!["estado"]!.GetValue<string>()));
        Assert.Equal(Confirmed.Name, notifications[0]!["plantilla"]!.GetValue<string>());
        Assert.Contains("24 horas", notifications[1]!["error_mensaje"]!.GetValue<string>(), StringComparison.Ordinal);

        var received = _platforms.To(phone).Skip(greeting.Count).ToList();
        Assert.Equal(2, received.Count);
        Assert.All(received, r => Assert.Equal("template", r.Body["type"]!.GetValue<string>()));
        var confirmed = received[0].Body["template"]!;
        Assert.Equal(Confirmed.Name, confirmed["name"]!.GetValue<string>());
        Assert.Equal("es", confirmed["language"]!["code"]!.GetValue<string>());
        var values = confirmed["components"]![0]!["parameters"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()).ToList();
        Assert.Equal(3, values.Count);
        Assert.Equal("Lucía", values[0]);
        Assert.EndsWith(values[1], sale.Replace("-", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        var total = (await _tenant.Admin.GetAsync($"/ventas/{sale}")).Json["total"]!.GetValue<decimal>();
        Assert.Contains(total.ToString("N0", CultureInfo.GetCultureInfo("es-CO")), values[2], StringComparison.Ordinal);
        Assert.Empty(_platforms.Refused);
    }

    [Fact]
    public async Task A_refusal_is_recorded_on_the_sale_and_not_retried()
    {
        var phone = NewPhone();
        await CustomerWritesAsync(phone, "hola", TimeSpan.FromMinutes(1));
        var greeting = await _platforms.WaitForAsync(phone, 1);
        var customer = await CustomerAsync(phone, "Ana Díaz");
        _platforms.FailNext(phone, 400, FakeMessaging.MetaError(131026, "(#131026) Message undeliverable"));

        var sale = await WhatsAppSaleAsync(customer);
        var notification = Assert.Single(await NotificationsAsync(sale, 1))!;
        Assert.Equal("fallida", notification["estado"]!.GetValue<string>());
        Assert.Equal("131026", notification["error_codigo"]!.GetValue<string>());

        // A transient failure (Meta's 5xx) is tried again and then sent.
        _platforms.FailNext(phone, 503, FakeMessaging.MetaError(131000, "(#131000) Something went wrong"));
        await MoveAsync(sale, "preparando");
        var notifications = await NotificationsAsync(sale, 2);
        Assert.Equal("enviada", notifications[1]!["estado"]!.GetValue<string>());
        // Meta saw: the refused send once (never again), the 503 and its retry.
        await Task.Delay(1000);
        Assert.Equal([400, 503, 200], _platforms.To(phone).Skip(greeting.Count).Select(s => s.Status));
    }

    [Fact]
    public async Task Another_empresas_staff_cannot_read_the_template_mapping_of_this_one_nor_its_sale()
    {
        var other = await _anonymous.RegisterAsync("Tienda Vecina");
        Assert.Equal(HttpStatusCode.Conflict, (await other.Admin.GetAsync("/canales/whatsapp/notificaciones")).Status);
        var sale = await WhatsAppSaleAsync(await CustomerAsync(NewPhone(), "Jorge Ríos"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.Admin.GetAsync($"/ventas/{sale}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Admin.PatchAsync($"/ventas/{sale}/estado", new { estado = "preparando" })).Status);
    }

    [Fact]
    public async Task The_accounts_templates_are_listed_from_the_graph_api_and_a_bad_mapping_is_refused_naming_the_field()
    {
        var listed = await _tenant.Admin.GetAsync("/canales/whatsapp/plantillas");
        Assert.True(listed.Status == HttpStatusCode.OK, listed.Body);
        var names = listed.Json["plantillas"]!.AsArray().Select(p => p!["nombre"]!.GetValue<string>()).ToList();
        Assert.Equal([Confirmed.Name, Shipped.Name], names);
        Assert.Equal(3, listed.Json["plantillas"]![0]!["parametros"]!.GetValue<int>());
        Assert.All(_platforms.TemplateLists, l => Assert.Equal($"Bearer {AccessToken}", l.Authorization));

        var bad = await _tenant.Admin.PutAsync("/canales/whatsapp/notificaciones", new Dictionary<string, object?>
        {
            ["venta_confirmada"] = new { nombre = "", idioma = "es" },
            ["venta_inventada"] = new { nombre = "x", idioma = "es" },
        });
        bad.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(bad.ErrorsFor("venta_confirmada.nombre"));
        Assert.NotEmpty(bad.ErrorsFor("venta_inventada"));
        var kept = await _tenant.Admin.GetAsync("/canales/whatsapp/notificaciones");
        Assert.Equal(HttpStatusCode.OK, kept.Status);
        Assert.Null(kept.Json["venta_inventada"]);

        _platforms.FailNextTemplateList(500, FakeMessaging.MetaError(1, "An unknown error occurred"));
        (await _tenant.Admin.GetAsync("/canales/whatsapp/plantillas")).AssertProblem(HttpStatusCode.ServiceUnavailable);
    }

    private static JsonObject Status(string wamid, string status, string phone) => new()
    {
        ["id"] = wamid,
        ["status"] = status,
        ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        ["recipient_id"] = phone,
    };

    private async Task DeliverStatusesAsync(params JsonObject[] statuses)
    {
        var body = MetaWebhook.Statuses(PhoneNumberId, statuses);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Hub-Signature-256", MetaWebhook.Sign(body, AppSecret));
        using var response = await _anonymous.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // The wamid Meta (the fake) answered for the sale's latest notification.
    private async Task<string> LastWamidAsync(string sale)
    {
        await using var connection = await _database.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT external_id FROM order_notifications WHERE order_id = @sale::uuid ORDER BY created_at DESC LIMIT 1", connection);
        command.Parameters.AddWithValue("sale", sale);
        return await command.ExecuteScalarAsync() as string ?? throw new InvalidOperationException($"no wamid for {sale}");
    }
}
