using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

/// <summary>WhatsApp and Telegram end to end: real Api and silo processes, fake Graph and Bot APIs on loopback.</summary>
public sealed class ChannelsTests : IAsyncLifetime
{
    private const string PhoneNumberId = "109876543210";
    private const string AppSecret = "secreto-de-la-app-meta";
    private const string VerifyToken = "token-de-verificacion";
    private const string AccessToken = "EAAG-token-de-acceso";
    private const string BotToken = "123456:ABC-token";
    private const int SendAttempts = 3;

    private PostgresDatabase _database = null!;
    private ProductStack _stack = null!;
    private FakeMessaging _platforms = null!;
    private ApiClient _anonymous = null!;
    private Tenant _tenant = null!;
    private ChannelRecords _records = null!;

    public async Task InitializeAsync()
    {
        _platforms = await FakeMessaging.StartAsync();
        _platforms.RegisterWhatsApp(PhoneNumberId, AccessToken);
        _platforms.RegisterTelegram(BotToken);
        _database = await PostgresDatabase.CreateAsync();
        _records = new ChannelRecords(_database);
        _stack = await ProductStack.StartAsync(_database, silos: 1, new Dictionary<string, string>
        {
            ["WhatsApp__GraphApiUrl"] = _platforms.BaseUrl.ToString(),
            ["Telegram__ApiUrl"] = _platforms.BaseUrl.ToString(),
            ["Channels__DebounceMilliseconds"] = "300",
            ["Channels__BackoffMilliseconds"] = "50",
            ["Channels__SendAttempts"] = SendAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        _anonymous = new ApiClient(_stack.CreateClient());
        _tenant = await _anonymous.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await _tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "reemplazar")).Status);
        var configured = await _tenant.Admin.PutAsync("/canales/whatsapp", new
        {
            phone_number_id = PhoneNumberId, access_token = AccessToken, app_secret = AppSecret, verify_token = VerifyToken,
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

    private string WhatsAppKey(string customer) => ChannelRecords.Key(_tenant.EmpresaId, "whatsapp", customer);

    private static string NewCustomer() => "57300" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    // WhatsApp: text.body, interactive.body.text or image.caption; Telegram: text or caption.
    private static string TextOf(FakeMessaging.Sent sent) => sent.Body["text"] switch
    {
        JsonObject text => text["body"]?.GetValue<string>() ?? "",
        JsonValue text => text.GetValue<string>(),
        _ => sent.Body["interactive"]?["body"]?["text"]?.GetValue<string>()
            ?? sent.Body["image"]?["caption"]?.GetValue<string>()
            ?? sent.Body["caption"]?.GetValue<string>() ?? "",
    };

    // PUT replaces every field: the product as it is, with an image.
    private async Task<JsonNode> WithImageAsync(string search, string imageUrl)
    {
        var product = (await _tenant.Admin.GetAsync($"/productos?buscar={search}")).Json["items"]![0]!;
        var saved = await _tenant.Admin.PutAsync($"/productos/{product["id"]}", new
        {
            sku = product["sku"]!.GetValue<string>(), nombre = product["nombre"]!.GetValue<string>(),
            descripcion = product["descripcion"]!.GetValue<string>(), precio = product["precio"]!.GetValue<decimal>(),
            stock = product["stock"]!.GetValue<int>(), categoria = product["categoria"]!.GetValue<string>(), activo = true, imagen_url = imageUrl,
        });
        Assert.True(saved.Status == HttpStatusCode.OK, saved.Body);
        return saved.Json;
    }

    [Fact]
    public async Task One_product_with_an_image_goes_out_as_a_whatsapp_image_with_the_reply_as_caption()
    {
        const string photo = "https://cdn.ferreteria.example/fotos/martillo.jpg";
        var hammer = await WithImageAsync("martillo", photo);
        var customer = NewCustomer();
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(MetaWebhook.TextMessage(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", "¿tienen martillo?")));

        var reply = Assert.Single(await _platforms.WaitForAsync(customer, 1));
        Assert.Equal("image", reply.Body["type"]?.GetValue<string>());
        Assert.Equal(photo, reply.Body["image"]?["link"]?.GetValue<string>());
        var caption = reply.Body["image"]?["caption"]?.GetValue<string>() ?? "";
        Assert.Contains(hammer["nombre"]!.GetValue<string>(), caption, StringComparison.Ordinal);
        var price = hammer["precio"]!.GetValue<decimal>().ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("es-CO"));
        Assert.Contains("$" + price, caption, StringComparison.Ordinal);
        // The send is recorded once the turn is answered, just after the fake saw it.
        await _records.WaitUntilAnsweredAsync(WhatsAppKey(customer), messages: 1);
        Assert.Single(await _records.OutboundAsync(WhatsAppKey(customer)), o => o.Status == "enviado" && o.ExternalId is not null);

        // A product without an image still gets its answer as text.
        var other = NewCustomer();
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(MetaWebhook.TextMessage(PhoneNumberId, other, $"wamid.{Guid.NewGuid():N}", "¿tienen brocha?")));
        var text = Assert.Single(await _platforms.WaitForAsync(other, 1));
        Assert.Equal("text", text.Body["type"]?.GetValue<string>());
        Assert.Contains("Brocha", TextOf(text), StringComparison.Ordinal);
        Assert.Empty(_platforms.Refused);
    }

    [Fact]
    public async Task One_product_with_an_image_goes_out_on_telegram_as_send_photo()
    {
        const string photo = "https://cdn.ferreteria.example/fotos/martillo.jpg";
        await WithImageAsync("martillo", photo);
        var configured = await _tenant.Admin.PutAsync("/canales/telegram", new { bot_token = BotToken, secret_token = "secreto-telegram" });
        var chat = Random.Shared.Next(1_000, 1_000_000);
        var update = new JsonObject
        {
            ["update_id"] = Random.Shared.Next(1, int.MaxValue),
            ["message"] = new JsonObject
            {
                ["message_id"] = 8,
                ["from"] = new JsonObject { ["id"] = chat, ["first_name"] = "Lucía" },
                ["chat"] = new JsonObject { ["id"] = chat, ["type"] = "private" },
                ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["text"] = "¿tienen martillo?",
            },
        }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, configured.Json["webhook_url"]!.GetValue<string>())
        {
            Content = new StringContent(update, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", "secreto-telegram");
        using (var response = await _anonymous.Http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var sent = Assert.Single(await _platforms.WaitForAsync(chat.ToString(System.Globalization.CultureInfo.InvariantCulture), 1));
        Assert.Equal($"/bot{BotToken}/sendPhoto", sent.Path);
        Assert.Equal(photo, sent.Body["photo"]?.GetValue<string>());
        Assert.Contains("Martillo", TextOf(sent), StringComparison.Ordinal);
        Assert.Empty(_platforms.Refused);
    }

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
        // Once the one inbox row is processed its reply has been sent: nothing more can come from these deliveries.
        Assert.Single(await _records.WaitUntilAnsweredAsync(WhatsAppKey(customer), messages: 1));
        var replies = _platforms.To(customer);
        Assert.Single(replies);
        Assert.Single(await _records.OutboundAsync(WhatsAppKey(customer)), o => o.Status == "enviado" && o.ExternalId is not null);
        Assert.Contains("Martillo", TextOf(replies[0]), StringComparison.Ordinal);
        Assert.Equal($"Bearer {AccessToken}", replies[0].Authorization);
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

        // The webhook refuses before storing anything; a genuine message afterwards is the sentinel: it is
        // stored and answered alone.
        Assert.Empty(await _records.InboundAsync(WhatsAppKey(customer)));
        var sentinel = MetaWebhook.TextMessage(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", "¿tienen brocha?");
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(sentinel));
        var stored = await _records.WaitUntilAnsweredAsync(WhatsAppKey(customer), messages: 1);
        Assert.Equal("¿tienen brocha?", stored[0].Text);
        var reply = Assert.Single(_platforms.To(customer));
        Assert.Contains("Brocha", TextOf(reply), StringComparison.Ordinal);
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

        // A question that several products answer, so that the offer is a list; the customer then picks one by its name.
        var offer = await SayAsync(MetaWebhook.TextMessage(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", "¿qué herramientas eléctricas tienen?"), 1);
        Assert.Contains("Taladro percutor 650W", offer, StringComparison.Ordinal);
        await SayAsync(MetaWebhook.TextMessage(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", "quiero 1 del taladro"), 2);
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
        // The offer came as an interactive list: one row per product offered, the drill among them, ids that name the product.
        var offerBody = _platforms.To(customer)[0].Body;
        Assert.Equal("interactive", offerBody["type"]?.GetValue<string>());
        Assert.Equal("list", offerBody["interactive"]?["type"]?.GetValue<string>());
        Assert.Contains("Taladro percutor 650W", offerBody["interactive"]!["body"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var rows = offerBody["interactive"]!["action"]!["sections"]!.AsArray().SelectMany(section => section!["rows"]!.AsArray()).ToList();
        Assert.InRange(rows.Count, 2, 10);
        var drillRow = rows.Single(r => r!["id"]!.GetValue<string>() == $"p:{Guid.Parse(drill["id"]!.GetValue<string>()):N}");
        Assert.Equal("Taladro percutor 650W", drillRow!["title"]!.GetValue<string>());
        Assert.Equal("$189.900 · 12 disponibles", drillRow["description"]!.GetValue<string>());
        var catalogNames = (await _tenant.Admin.GetAsync("/productos?tamano=100")).Json["items"]!.AsArray().Select(p => p!["nombre"]!.GetValue<string>()).ToList();
        // A name longer than WhatsApp's 24 characters is cut, with an ellipsis, never past the limit.
        Assert.All(rows, row =>
        {
            var title = row!["title"]!.GetValue<string>();
            Assert.InRange(title.Length, 1, 24);
            Assert.Contains(catalogNames, name => name == title
                || (name.Length > 24 && title.EndsWith('…') && name.StartsWith(title[..^1].TrimEnd(), StringComparison.Ordinal)));
        });
        Assert.Empty(_platforms.Refused);
    }

    [Fact]
    public async Task A_burst_of_short_messages_is_answered_once()
    {
        var customer = NewCustomer();
        // Meta batches messages that arrive together into one delivery: all three are in the inbox before the
        // conversation wakes, however slow the machine, and are answered as one turn.
        var burst = MetaWebhook.TextMessages(PhoneNumberId, customer,
            ($"wamid.{Guid.NewGuid():N}", "hola"), ($"wamid.{Guid.NewGuid():N}", "busco"), ($"wamid.{Guid.NewGuid():N}", "un martillo"));
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(burst));

        Assert.Equal(["hola", "busco", "un martillo"], (await _records.WaitUntilAnsweredAsync(WhatsAppKey(customer), messages: 3)).Select(r => r.Text));
        var reply = Assert.Single(_platforms.To(customer));
        Assert.Contains("Martillo", TextOf(reply), StringComparison.Ordinal);
        Assert.Single(await _records.OutboundAsync(WhatsAppKey(customer)));
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
        await _records.WaitUntilAnsweredAsync(WhatsAppKey(customer), messages: 2);
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
    public async Task Platform_errors_are_retried_on_5xx_up_to_the_attempts_and_recorded_without_retry_outside_the_24_hour_window()
    {
        // Two 5xx, then success: exactly three identical sends, recorded as sent with the id of the one that went through.
        var flaky = NewCustomer();
        _platforms.FailNext(flaky, 500, FakeMessaging.MetaError(2, "Service temporarily unavailable"), times: 2);
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(MetaWebhook.TextMessage(PhoneNumberId, flaky, $"wamid.{Guid.NewGuid():N}", "¿tienen martillo?")));
        await _records.WaitUntilAnsweredAsync(WhatsAppKey(flaky), messages: 1);
        var attempts = _platforms.To(flaky);
        Assert.Equal([500, 500, 200], attempts.Select(a => a.Status));
        Assert.Single(attempts.Select(a => a.Body.ToJsonString()).Distinct());
        var sent = Assert.Single(await _records.OutboundAsync(WhatsAppKey(flaky)));
        Assert.Equal(("enviado", null), (sent.Status, sent.ErrorCode));
        Assert.StartsWith("wamid.", sent.ExternalId, StringComparison.Ordinal);

        // A platform that keeps failing gets the configured number of attempts, no more, and the reply is recorded as failed.
        var down = NewCustomer();
        _platforms.FailNext(down, 503, FakeMessaging.MetaError(2, "Service temporarily unavailable"), times: 10);
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(MetaWebhook.TextMessage(PhoneNumberId, down, $"wamid.{Guid.NewGuid():N}", "¿tienen martillo?")));
        await _records.WaitUntilAnsweredAsync(WhatsAppKey(down), messages: 1);
        Assert.Equal(Enumerable.Repeat(503, SendAttempts), _platforms.To(down).Select(a => a.Status));
        Assert.Equal(("fallido", "2"), (await _records.OutboundAsync(WhatsAppKey(down))).Select(o => (o.Status, o.ErrorCode)).Single());

        // 131047 (outside the 24-hour window) is final: one send, recorded with its code.
        var late = NewCustomer();
        _platforms.FailNext(late, 400, FakeMessaging.MetaError(131047, "Re-engagement message"));
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(MetaWebhook.TextMessage(PhoneNumberId, late, $"wamid.{Guid.NewGuid():N}", "hola")));
        await _records.WaitUntilAnsweredAsync(WhatsAppKey(late), messages: 1);
        Assert.Equal([400], _platforms.To(late).Select(a => a.Status));
        Assert.Equal(("fallido", "131047"), (await _records.OutboundAsync(WhatsAppKey(late))).Select(o => (o.Status, o.ErrorCode)).Single());
    }

    [Fact]
    public async Task Telegram_updates_are_checked_deduplicated_and_answered_with_sendMessage()
    {
        var configured = await _tenant.Admin.PutAsync("/canales/telegram", new { bot_token = BotToken, secret_token = "secreto-telegram" });
        var chat = Random.Shared.Next(1_000, 1_000_000);
        var webhook = configured.Json["webhook_url"]!.GetValue<string>();
        var update = new JsonObject
        {
            ["update_id"] = Random.Shared.Next(1, int.MaxValue),
            ["message"] = new JsonObject
            {
                ["message_id"] = 7,
                ["from"] = new JsonObject { ["id"] = chat, ["first_name"] = "Lucía" },
                ["chat"] = new JsonObject { ["id"] = chat, ["type"] = "private" },
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

        var key = ChannelRecords.Key(_tenant.EmpresaId, "telegram", chat.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Single(await _records.WaitUntilAnsweredAsync(key, messages: 1));
        var sent = _platforms.To(chat.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Single(sent);
        Assert.Equal($"/bot{BotToken}/sendMessage", sent[0].Path);
        Assert.Contains("Martillo", TextOf(sent[0]), StringComparison.Ordinal);
    }
}
