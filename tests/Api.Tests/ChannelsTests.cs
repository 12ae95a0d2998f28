using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;
using Npgsql;

namespace AgenteVendedor.Api.Tests;

/// <summary>WhatsApp and Telegram end to end: real Api and silo processes, fake Graph and Bot APIs on loopback.</summary>
public sealed class ChannelsTests : IAsyncLifetime
{
    private const string PhoneNumberId = "109876543210";
    private const string AppSecret = "secreto-de-la-app-meta";
    private const string VerifyToken = "token-de-verificacion";

    private PostgresDatabase _database = null!;
    private ProductStack _stack = null!;
    private FakeMessaging _platforms = null!;
    private ApiClient _anonymous = null!;
    private Tenant _tenant = null!;

    public async Task InitializeAsync()
    {
        _platforms = await FakeMessaging.StartAsync();
        _database = await PostgresDatabase.CreateAsync();
        _stack = await ProductStack.StartAsync(_database, silos: 1, new Dictionary<string, string>
        {
            ["WhatsApp__GraphApiUrl"] = _platforms.BaseUrl.ToString(),
            ["Telegram__ApiUrl"] = _platforms.BaseUrl.ToString(),
            ["Channels__DebounceMilliseconds"] = "300",
            ["Channels__BackoffMilliseconds"] = "50",
        });
        _anonymous = new ApiClient(_stack.CreateClient());
        _tenant = await _anonymous.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await _tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "reemplazar")).Status);
        _platforms.RegisterPhoneNumber(PhoneNumberId, "EAAG-token-de-acceso");
        var configured = await _tenant.Admin.PutAsync("/canales/whatsapp", new
        {
            phone_number_id = PhoneNumberId, access_token = "EAAG-token-de-acceso", app_secret = AppSecret, verify_token = VerifyToken,
        });
        Assert.Equal(HttpStatusCode.OK, configured.Status);
        Assert.DoesNotContain(AppSecret, configured.Body, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _stack.DisposeAsync();
        await _database.DisposeAsync();
        await _platforms.DisposeAsync();
    }

    private async Task<HttpStatusCode> DeliverAsync(byte[] body, string? signature = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Hub-Signature-256", signature ?? MetaWebhook.Sign(body, AppSecret));
        using var response = await _anonymous.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static string NewCustomer() => "57300" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    // WhatsApp: text.body or interactive.body.text; Telegram: text.
    private static string TextOf(FakeMessaging.Sent sent) => sent.Body["text"] switch
    {
        JsonObject text => text["body"]?.GetValue<string>() ?? "",
        JsonValue text => text.GetValue<string>(),
        _ => sent.Body["interactive"]?["body"]?["text"]?.GetValue<string>() ?? "",
    };

    [Fact]
    public async Task Meta_verification_echoes_the_challenge_only_for_a_known_token()
    {
        var ok = await _anonymous.Http.GetAsync($"/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={VerifyToken}&hub.challenge=1158201444");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync());
        var wrong = await _anonymous.Http.GetAsync("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=otro&hub.challenge=1158201444");
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
    }

    [Fact]
    public async Task A_message_delivered_three_times_gets_exactly_one_reply()
    {
        var customer = NewCustomer();
        var body = MetaWebhook.TextMessage(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", "¿tienen martillo?");

        var statuses = await Task.WhenAll(DeliverAsync(body), DeliverAsync(body), DeliverAsync(body));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var replies = await _platforms.WaitForAsync(customer, 1);
        await Task.Delay(1500);
        Assert.Single(_platforms.To(customer));
        Assert.Contains("Martillo", TextOf(replies[0]), StringComparison.Ordinal);
        Assert.Equal("Bearer EAAG-token-de-acceso", replies[0].Authorization);
        Assert.Equal($"/v21.0/{PhoneNumberId}/messages", replies[0].Path);
    }

    [Fact]
    public async Task A_forged_signature_gets_401_and_leaves_no_trace()
    {
        var customer = NewCustomer();
        var body = MetaWebhook.TextMessage(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", "hola");

        Assert.Equal(HttpStatusCode.Unauthorized, await DeliverAsync(body, MetaWebhook.Sign(body, "otro-secreto")));
        Assert.Equal(HttpStatusCode.Unauthorized, await DeliverAsync(body, "sha256=zz"));
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("hola", "HOLA", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, await DeliverAsync(tampered, MetaWebhook.Sign(body, AppSecret)));

        await Task.Delay(800);
        Assert.Empty(_platforms.To(customer));
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM inbound_messages WHERE conversation_key LIKE '%' || @c", connection);
        count.Parameters.AddWithValue("c", customer);
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task From_question_to_placed_order_on_whatsapp()
    {
        var customer = NewCustomer();
        var drill = (await _tenant.Admin.GetAsync("/productos?buscar=FER-001")).Json["items"]![0]!;
        var stockBefore = drill["stock"]!.GetValue<int>();
        async Task<string> SayAsync(byte[] body, int expectedReplies)
        {
            Assert.Equal(HttpStatusCode.OK, await DeliverAsync(body));
            var replies = await _platforms.WaitForAsync(customer, expectedReplies);
            Assert.Equal(expectedReplies, replies.Count);
            return TextOf(replies[^1]);
        }

        var offer = await SayAsync(MetaWebhook.TextMessage(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", "¿tienen taladro para concreto?"), 1);
        Assert.Contains("Taladro percutor 650W", offer, StringComparison.Ordinal);
        await SayAsync(MetaWebhook.TextMessage(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", "quiero 1"), 2);
        var askName = await SayAsync(MetaWebhook.TextMessage(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", "confirmo"), 3);
        Assert.Contains("nombre", askName, StringComparison.Ordinal);
        var askAddress = await SayAsync(MetaWebhook.TextMessage(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", "Carlos Gómez"), 4);
        Assert.Contains("dirección", askAddress, StringComparison.Ordinal);
        var summary = await SayAsync(MetaWebhook.TextMessage(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", "Calle 10 # 5-20, Bogotá"), 5);
        Assert.Contains("+" + customer, summary, StringComparison.Ordinal);
        Assert.Contains("$189.900", summary, StringComparison.Ordinal);
        var buttons = _platforms.To(customer)[^1].Body["interactive"]!["action"]!["buttons"]!.AsArray();
        Assert.Equal(2, buttons.Count);
        var done = await SayAsync(MetaWebhook.ButtonReply(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", "si", "Sí, confirmar"), 6);

        Assert.Contains("Pedido confirmado", done, StringComparison.Ordinal);
        Assert.Equal(stockBefore - 1, (await _tenant.Admin.GetAsync($"/productos/{drill["id"]}")).Json["stock"]!.GetValue<int>());
        var sales = await _tenant.Admin.GetAsync("/ventas?tamano=500");
        Assert.Contains(sales.Json["items"]!.AsArray(), s => s!["canal"]!.GetValue<string>() == "whatsapp");
        var list = _platforms.To(customer)[0].Body;
        Assert.Equal("list", list["interactive"]?["type"]?.GetValue<string>() ?? "list");
    }

    [Fact]
    public async Task A_burst_of_short_messages_is_answered_once()
    {
        var customer = NewCustomer();
        foreach (var text in new[] { "hola", "busco", "un martillo" })
        {
            Assert.Equal(HttpStatusCode.OK, await DeliverAsync(MetaWebhook.TextMessage(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", text)));
        }

        var replies = await _platforms.WaitForAsync(customer, 1);
        await Task.Delay(1500);
        Assert.Single(_platforms.To(customer));
        Assert.Contains("Martillo", TextOf(replies[0]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handoff_silences_the_agent_and_relays_the_human_reply()
    {
        var customer = NewCustomer();
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(MetaWebhook.TextMessage(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", "hola")));
        await _platforms.WaitForAsync(customer, 1);
        var list = await _tenant.Admin.GetAsync("/conversaciones?canal=whatsapp");
        var conversation = list.Json["items"]!.AsArray().Single(c => c!["cliente"]!["telefono"]?.GetValue<string>() == "+" + customer)!;
        var id = conversation["id"]!.GetValue<string>();

        var taken = await _tenant.Admin.PostAsync($"/conversaciones/{id}/tomar", null);
        Assert.Equal("humano", taken.Json["estado"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(MetaWebhook.TextMessage(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", "¿me atiende una persona?")));
        await Task.Delay(1500);
        Assert.Single(_platforms.To(customer));

        var relayed = await _tenant.Admin.PostAsync($"/conversaciones/{id}/mensajes", new { texto = "Hola, soy Ana de la ferretería. ¿En qué te ayudo?" });
        Assert.Equal(HttpStatusCode.OK, relayed.Status);
        var sent = await _platforms.WaitForAsync(customer, 2);
        Assert.Equal("Hola, soy Ana de la ferretería. ¿En qué te ayudo?", TextOf(sent[^1]));
        var detail = await _tenant.Admin.GetAsync($"/conversaciones/{id}");
        Assert.Equal(["cliente", "agente", "cliente", "humano"], detail.Json["mensajes"]!.AsArray().Select(m => m!["rol"]!.GetValue<string>()));

        await _tenant.Admin.PostAsync($"/conversaciones/{id}/liberar", null);
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(MetaWebhook.TextMessage(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", "¿tienen brocha?")));
        Assert.Contains("Brocha", TextOf((await _platforms.WaitForAsync(customer, 3))[^1]), StringComparison.Ordinal);

        var other = await _anonymous.RegisterAsync();
        (await other.Admin.GetAsync($"/conversaciones/{id}")).AssertProblem(HttpStatusCode.NotFound);
        (await other.Admin.PostAsync($"/conversaciones/{id}/tomar", null)).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Platform_errors_are_retried_on_5xx_and_recorded_without_retry_outside_the_24_hour_window()
    {
        var customer = NewCustomer();
        _platforms.FailNext(500, "{\"error\":{\"message\":\"temporal\",\"code\":2}}", times: 2);
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(MetaWebhook.TextMessage(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", "¿tienen martillo?")));
        Assert.Equal(3, (await _platforms.WaitForAsync(customer, 3)).Count);

        var late = NewCustomer();
        _platforms.FailNext(400, "{\"error\":{\"message\":\"Re-engagement message\",\"type\":\"OAuthException\",\"code\":131047}}");
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(MetaWebhook.TextMessage(PhoneNumberId, late, $"wamid.{Guid.NewGuid():N}", "hola")));
        await _platforms.WaitForAsync(late, 1);
        await Task.Delay(1000);
        Assert.Single(_platforms.To(late));
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT count(*) FROM outbound_messages WHERE error_code = '131047' AND status = 'fallido'", connection);
        Assert.Equal(1L, (long)(await query.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Telegram_updates_are_checked_deduplicated_and_answered_with_sendMessage()
    {
        var configured = await _tenant.Admin.PutAsync("/canales/telegram", new { bot_token = "123456:ABC-token", secret_token = "secreto-telegram" });
        var webhook = configured.Json["webhook_url"]!.GetValue<string>();
        var update = new JsonObject
        {
            ["update_id"] = Random.Shared.Next(1, int.MaxValue),
            ["message"] = new JsonObject
            {
                ["message_id"] = 7,
                ["from"] = new JsonObject { ["id"] = 4242, ["first_name"] = "Lucía" },
                ["chat"] = new JsonObject { ["id"] = 4242, ["type"] = "private" },
                ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["text"] = "¿tienen martillo?",
            },
        }.ToJsonString();
        async Task<HttpStatusCode> PostAsync(string secret)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, webhook) { Content = new StringContent(update, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
            using var response = await _anonymous.Http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync("otro"));
        Assert.Equal(HttpStatusCode.OK, await PostAsync("secreto-telegram"));
        Assert.Equal(HttpStatusCode.OK, await PostAsync("secreto-telegram"));

        var sent = await _platforms.WaitForAsync("4242", 1);
        await Task.Delay(1000);
        Assert.Single(_platforms.To("4242"));
        Assert.Equal("/bot123456:ABC-token/sendMessage", sent[0].Path);
        Assert.Contains("Martillo", TextOf(sent[0]), StringComparison.Ordinal);
    }
}
