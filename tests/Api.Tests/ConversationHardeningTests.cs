using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;
using Npgsql;

namespace AgenteVendedor.Api.Tests;

/// <summary>One product stack for all of <see cref="ConversationHardeningTests"/>: fake platforms and a fake OpenAI server.</summary>
public sealed class HardeningStack : IAsyncLifetime
{
    public const int SendAttempts = 3;
    public const int MessagesPerMinute = 6;
    public const int MaxUnits = 5;

    public PostgresDatabase Database { get; private set; } = null!;

    public ProductStack Stack { get; private set; } = null!;

    public FakeMessaging Platforms { get; private set; } = null!;

    public FakeOpenAI OpenAI { get; private set; } = null!;

    public ApiClient Anonymous { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Platforms = await FakeMessaging.StartAsync();
        OpenAI = await FakeOpenAI.StartAsync(ConversationHardeningTests.Script);
        Database = await PostgresDatabase.CreateAsync();
        Stack = await ProductStack.StartAsync(Database, silos: 1, new Dictionary<string, string>(ProductStack.FastFailover)
        {
            ["WhatsApp__GraphApiUrl"] = Platforms.BaseUrl.ToString(),
            ["Telegram__ApiUrl"] = Platforms.BaseUrl.ToString(),
            ["OpenAI__ApiKey"] = "sk-prueba",
            ["OpenAI__BaseUrl"] = OpenAI.BaseUrl.ToString(),
            ["Embeddings__Provider"] = "offline",
            ["Agent__DefaultDriver"] = "offline",
            ["Agent__TurnTimeoutSeconds"] = "5",
            ["Channels__DebounceMilliseconds"] = "300",
            ["Channels__BackoffMilliseconds"] = "50",
            ["Channels__SendAttempts"] = SendAttempts.ToString(CultureInfo.InvariantCulture),
            ["Channels__AttemptTimeoutSeconds"] = "1",
            ["Channels__InboxAttempts"] = "3",
            ["Channels__CustomerMessagesPerMinute"] = MessagesPerMinute.ToString(CultureInfo.InvariantCulture),
            ["Channels__MaxUnitsPerChatOrder"] = MaxUnits.ToString(CultureInfo.InvariantCulture),
            ["Channels__SweepSeconds"] = "2",
            ["Channels__StrandedSeconds"] = "1",
            ["Reminders__MinimumReminderPeriod"] = "00:00:01",
        });
        Anonymous = new ApiClient(Stack.CreateClient());
        // The first call through the OpenAI client is slow on a busy machine (JIT, connection): warm it up
        // so the turn timeout measures the model, not the start-up.
        var warm = await Anonymous.RegisterAsync();
        for (var i = 0; i < 5 && (await warm.Admin.PostAsync("/chat", new { mensaje = "hola", llm = "openai" })).Status != HttpStatusCode.OK; i++)
        {
        }
    }

    public async Task DisposeAsync()
    {
        Anonymous.Dispose();
        await Stack.DisposeAsync();
        await Database.DisposeAsync();
        await OpenAI.DisposeAsync();
        await Platforms.DisposeAsync();
    }
}

/// <summary>
/// Conversations under stress, end to end: long texts, a poison message, platform timeouts, an LLM
/// that loops or is slow, a replayed order confirmation and a customer who writes too fast. Real
/// Api and silo processes; fake Graph/Bot and OpenAI servers on loopback.
/// </summary>
public sealed class ConversationHardeningTests(HardeningStack fixture) : IClassFixture<HardeningStack>
{
    private const int SendAttempts = HardeningStack.SendAttempts;
    private const int MessagesPerMinute = HardeningStack.MessagesPerMinute;
    private const int MaxUnits = HardeningStack.MaxUnits;

    // The scripted model: each test's marker word picks its behaviour.
    internal static FakeReply Script(JsonNode request)
    {
        var said = string.Join("\n", request.Messages().Where(m => m!.Role() == "user").Select(m => m!.Content()));
        if (said.Contains("BUCLE", StringComparison.Ordinal))
        {
            return new FakeReply.ToolCalls(("ver_carrito", new { }));
        }

        if (said.Contains("LENTO", StringComparison.Ordinal))
        {
            return new FakeReply.Slow(TimeSpan.FromSeconds(30), new FakeReply.Text("Perdón por la demora."));
        }

        if (said.Contains("NOMBRE-LARGO", StringComparison.Ordinal))
        {
            return request.Last().Role() == "tool"
                ? new FakeReply.Text("Listo, guardé tus datos.")
                : new FakeReply.ToolCalls(("registrar_cliente", new { nombre = new string('N', 5000), telefono = "300 555 1234", direccion = new string('D', 5000) }));
        }

        return new FakeReply.Text("Hola.");
    }

    private sealed record Shop(Tenant Tenant, string PhoneNumberId, string AppSecret);

    private async Task<Shop> NewShopAsync()
    {
        var tenant = await fixture.Anonymous.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "reemplazar")).Status);
        var shop = new Shop(tenant, Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString(CultureInfo.InvariantCulture), $"secreto-{Guid.NewGuid():N}");
        fixture.Platforms.RegisterWhatsApp(shop.PhoneNumberId, "EAAG-token");
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.PutAsync("/canales/whatsapp", new
        {
            phone_number_id = shop.PhoneNumberId, access_token = "EAAG-token", app_secret = shop.AppSecret, verify_token = $"v-{Guid.NewGuid():N}",
        })).Status);
        return shop;
    }

    private async Task DeliverAsync(Shop shop, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Hub-Signature-256", MetaWebhook.Sign(body, shop.AppSecret));
        using var response = await fixture.Anonymous.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Task SayAsync(Shop shop, string customer, string text) =>
        DeliverAsync(shop, MetaWebhook.TextMessage(shop.PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", text));

    private static string NewCustomer() => "57310" + Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);

    private static string TextOf(FakeMessaging.Sent sent) => sent.Body["text"] switch
    {
        JsonObject text => text["body"]?.GetValue<string>() ?? "",
        JsonValue text => text.GetValue<string>(),
        _ => sent.Body["interactive"]?["body"]?["text"]?.GetValue<string>() ?? "",
    };

    /// <summary>Sends and waits until the customer got the given number of answers in all; returns the last one.</summary>
    private async Task<string> TurnAsync(Shop shop, string customer, string text, int answers)
    {
        await SayAsync(shop, customer, text);
        var got = await WaitAnsweredAsync(customer, answers);
        Assert.True(got.Count == answers, $"expected {answers} answers to {customer}, got {got.Count}: {string.Join(" | ", got.Select(TextOf))}");
        return TextOf(got[^1]);
    }

    private async Task<List<FakeMessaging.Sent>> WaitAnsweredAsync(string recipient, int count, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline && fixture.Platforms.AnsweredTo(recipient).Count < count)
        {
            await Task.Delay(100);
        }

        return fixture.Platforms.AnsweredTo(recipient);
    }

    private async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] args)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in args)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> WaitForCountAsync(string sql, long atLeast, params (string Name, object Value)[] args)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long count;
        while ((count = await ScalarAsync<long>(sql, args)) < atLeast && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        return count;
    }

    private static async Task<string> ConversationIdAsync(Shop shop, string customer)
    {
        var list = await shop.Tenant.Admin.GetAsync("/conversaciones?canal=whatsapp&tamano=100");
        return list.Json["items"]!.AsArray().Single(c => c!["cliente"]!["telefono"]?.GetValue<string>() == "+" + customer)!["id"]!.GetValue<string>();
    }

    // Item 3: texts that do not fit their columns used to fail every attempt, and every later message joined the failing batch.
    [Fact]
    public async Task Two_long_telegram_messages_are_answered_and_their_text_fits_its_columns()
    {
        var shop = await NewShopAsync();
        fixture.Platforms.RegisterTelegram("777:LARGO-token");
        var configured = await shop.Tenant.Admin.PutAsync("/canales/telegram", new { bot_token = "777:LARGO-token", secret_token = "secreto-largo" });
        var webhook = configured.Json["webhook_url"]!.GetValue<string>();
        var chat = Random.Shared.Next(100_000, 999_999);
        async Task PostAsync(string text)
        {
            var update = new JsonObject
            {
                ["update_id"] = Random.Shared.Next(1, int.MaxValue),
                ["message"] = new JsonObject
                {
                    ["message_id"] = 1,
                    ["from"] = new JsonObject { ["id"] = chat, ["first_name"] = "Lucía" },
                    ["chat"] = new JsonObject { ["id"] = chat, ["type"] = "private" },
                    ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                    ["text"] = text,
                },
            }.ToJsonString();
            using var request = new HttpRequestMessage(HttpMethod.Post, webhook) { Content = new StringContent(update, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", "secreto-largo");
            using var response = await fixture.Anonymous.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // 2,500 characters each, with emoji (two UTF-16 units) so a careless cut would split one.
        var paragraph = string.Concat(Enumerable.Repeat("busco un martillo 🔨 ", 125));
        await PostAsync(paragraph);
        await PostAsync(paragraph);
        var recipient = chat.ToString(CultureInfo.InvariantCulture);
        Assert.NotEmpty(await WaitAnsweredAsync(recipient, 1));

        var list = await shop.Tenant.Admin.GetAsync("/conversaciones?canal=telegram");
        var id = list.Json["items"]![0]!["id"]!.GetValue<string>();
        var detail = await shop.Tenant.Admin.GetAsync($"/conversaciones/{id}");
        var customerLines = detail.Json["mensajes"]!.AsArray().Where(m => m!["rol"]!.GetValue<string>() == "cliente").Select(m => m!["texto"]!.GetValue<string>()).ToList();
        Assert.Equal(paragraph + "\n" + paragraph, string.Join("\n", customerLines));

        // The next message of that chat is answered too.
        await PostAsync("¿tienen brocha?");
        var answers = await WaitAnsweredAsync(recipient, 2);
        Assert.Contains("Brocha", TextOf(answers[^1]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_poison_message_becomes_a_visible_dead_letter_and_the_next_message_is_answered()
    {
        var shop = await NewShopAsync();
        var customer = NewCustomer();
        var marker = $"VENENO{Guid.NewGuid():N}";
        // The database refuses that one message every time: a failure no retry can fix.
        await ScalarAsync<int>($$"""
            CREATE OR REPLACE FUNCTION refuse_{{marker}}() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
                IF NEW.text LIKE '%{{marker}}%' THEN RAISE EXCEPTION 'mensaje envenenado'; END IF;
                RETURN NEW;
            END $f$;
            CREATE TRIGGER refuse_{{marker}} BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION refuse_{{marker}}();
            SELECT 1;
            """);

        await SayAsync(shop, customer, $"hola {marker}");
        // Its first attempt has begun (the chat's row exists, its transcript line is refused next): the
        // following message arrives after it, as a customer's next message does.
        Assert.Equal(1L, await WaitForCountAsync("SELECT count(*) FROM conversations WHERE address = @a", 1, ("a", customer)));
        var answer = await TurnAsync(shop, customer, "¿tienen martillo?", 1);

        Assert.Contains("Martillo", answer, StringComparison.Ordinal);
        var detail = await shop.Tenant.Admin.GetAsync($"/conversaciones/{await ConversationIdAsync(shop, customer)}");
        var failed = Assert.Single(detail.Json["fallidos"]!.AsArray())!;
        Assert.Equal($"hola {marker}", failed["texto"]!.GetValue<string>());
        Assert.Equal(3, failed["intentos"]!.GetValue<int>());
        Assert.Contains("envenenado", failed["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_and_addresses_the_model_writes_are_cut_to_fit()
    {
        var tenant = (await NewShopAsync()).Tenant;

        var reply = await tenant.Admin.PostAsync("/chat", new { mensaje = "soy NOMBRE-LARGO", llm = "openai" });

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body + "\n" + string.Join("\n", fixture.OpenAI.Errors) + fixture.Stack.Diagnostics());
        Assert.Equal("Listo, guardé tus datos.", reply.Json["respuesta"]!.GetValue<string>());
        var detail = await tenant.Admin.GetAsync($"/conversaciones/{reply.Json["conversacion_id"]}");
        var name = detail.Json["cliente"]!["nombre"]!.GetValue<string>();
        Assert.Equal(200, name.Length);
        Assert.EndsWith("…", name, StringComparison.Ordinal);
    }

    // Item 8: a platform that hangs used to throw TaskCanceledException into the turn, which the sweeper replayed.
    [Fact]
    public async Task A_recipient_whose_first_sends_time_out_gets_exactly_one_answer()
    {
        var shop = await NewShopAsync();
        var customer = NewCustomer();
        fixture.Platforms.DelayFor(customer, TimeSpan.FromSeconds(30), times: SendAttempts - 1);

        await SayAsync(shop, customer, "¿tienen martillo?");
        var sent = await WaitForCountAsync("""
            SELECT count(*) FROM outbound_messages o JOIN conversations c ON c.id = o.conversation_id
             WHERE c.address = @a AND o.status = 'enviado'
            """, 1, ("a", customer));

        Assert.Equal(1L, sent);
        Assert.Single(fixture.Platforms.AnsweredTo(customer));
        Assert.Contains("Martillo", TextOf(fixture.Platforms.AnsweredTo(customer)[0]), StringComparison.Ordinal);
        Assert.Equal(SendAttempts, fixture.Platforms.To(customer).Count);
    }

    [Fact]
    public async Task A_sender_that_always_fails_stops_after_the_configured_attempts_and_is_recorded_as_failed()
    {
        var shop = await NewShopAsync();
        var customer = NewCustomer();
        fixture.Platforms.FailNext(customer, 500, "{\"error\":{\"message\":\"caído\",\"code\":2}}", times: 100);

        await SayAsync(shop, customer, "¿tienen martillo?");
        var failed = await WaitForCountAsync("""
            SELECT count(*) FROM outbound_messages o JOIN conversations c ON c.id = o.conversation_id
             WHERE c.address = @a AND o.status = 'fallido'
            """, 1, ("a", customer));

        Assert.Equal(1L, failed);
        Assert.Equal(SendAttempts, fixture.Platforms.To(customer).Count);
        // The turn is done, not thrown back to be replayed: its message is processed.
        Assert.Equal(1L, await WaitForCountAsync(
            "SELECT count(*) FROM inbound_messages WHERE conversation_key LIKE '%/' || @a AND processed_at IS NOT NULL", 1, ("a", customer)));
    }

    // Item 9: the function-invoking loop had 40 rounds and no time bound.
    [Fact]
    public async Task A_model_that_keeps_calling_tools_stops_after_six_rounds_with_503()
    {
        var tenant = (await NewShopAsync()).Tenant;
        var marker = $"BUCLE-{Guid.NewGuid():N}";

        var reply = await tenant.Admin.PostAsync("/chat", new { mensaje = marker, llm = "openai" });

        reply.AssertProblem(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("no está disponible", reply.Detail, StringComparison.Ordinal);
        int requests;
        lock (fixture.OpenAI.ChatRequests)
        {
            requests = fixture.OpenAI.ChatRequests.Count(r => r.Messages().Any(m => m!.Role() == "user" && m!.Content().Contains(marker, StringComparison.Ordinal)));
        }

        Assert.InRange(requests, 6, 7);
    }

    [Fact]
    public async Task A_model_slower_than_the_turn_timeout_answers_503_in_about_the_timeout()
    {
        var tenant = (await NewShopAsync()).Tenant;
        var clock = Stopwatch.StartNew();

        var reply = await tenant.Admin.PostAsync("/chat", new { mensaje = $"LENTO-{Guid.NewGuid():N}", llm = "openai" });

        reply.AssertProblem(HttpStatusCode.ServiceUnavailable);
        // The model takes 30 s; the turn ends at its 5 s timeout (loose upper bound for a busy machine).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    // Item 11: per-customer limits on platform channels.
    [Fact]
    public async Task A_chat_order_above_the_unit_limit_gets_one_polite_refusal_and_places_nothing()
    {
        var shop = await NewShopAsync();
        var customer = NewCustomer();

        await TurnAsync(shop, customer, "¿tienen martillo?", 1);
        Assert.Contains("Agregué", await TurnAsync(shop, customer, $"quiero {MaxUnits + 1}", 2), StringComparison.Ordinal);
        await TurnAsync(shop, customer, "confirmo", 3);
        await TurnAsync(shop, customer, "Carlos Gómez", 4);
        await TurnAsync(shop, customer, "Calle 10 # 5-20, Bogotá", 5);
        var refusal = await TurnAsync(shop, customer, "sí", 6);

        Assert.Contains($"hasta {MaxUnits} unidades", refusal, StringComparison.Ordinal);
        Assert.Equal(0, (await shop.Tenant.Admin.GetAsync("/ventas")).Json["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_customer_who_writes_too_fast_gets_one_notice_and_is_answered_after_the_minute()
    {
        var shop = await NewShopAsync();
        var customer = NewCustomer();
        for (var i = 1; i <= MessagesPerMinute; i++)
        {
            await TurnAsync(shop, customer, $"¿tienen martillo? ({i})", i);
        }

        var notice = await TurnAsync(shop, customer, "¿y brocha?", MessagesPerMinute + 1);
        Assert.Contains("mensajes por minuto", notice, StringComparison.Ordinal);
        await SayAsync(shop, customer, "¿y taladro?");
        // Sentinel: the held messages are answered together once the minute has passed.
        var all = await WaitAnsweredAsync(customer, MessagesPerMinute + 2, seconds: 90);

        Assert.Equal(MessagesPerMinute + 2, all.Count);
        Assert.Single(all, s => TextOf(s).Contains("mensajes por minuto", StringComparison.Ordinal));
        Assert.Equal(0L, await ScalarAsync<long>(
            "SELECT count(*) FROM inbound_messages WHERE conversation_key LIKE '%/' || @a AND processed_at IS NULL", ("a", customer)));
    }

    // Item 7: a "sí" replayed after a crash (processed_at never written) must not place a second order.
    [Fact]
    public async Task A_confirmation_replayed_after_a_crash_places_the_order_once()
    {
        var shop = await NewShopAsync();
        var customer = NewCustomer();
        var drill = (await shop.Tenant.Admin.GetAsync("/productos?buscar=FER-001")).Json["items"]![0]!;
        var stockBefore = drill["stock"]!.GetValue<int>();
        await TurnAsync(shop, customer, "¿tienen taladro para concreto?", 1);
        await TurnAsync(shop, customer, "quiero 1", 2);
        await TurnAsync(shop, customer, "confirmo", 3);
        await TurnAsync(shop, customer, "Carlos Gómez", 4);
        await TurnAsync(shop, customer, "Calle 10 # 5-20, Bogotá", 5);
        // The session as it was before the confirmation: what a crash between the order and the state write leaves.
        const string stateOf = "SELECT payload FROM orleans_grain_state WHERE grain_id_ext LIKE '%/whatsapp/' || @a";
        var before = await ScalarAsync<byte[]>(stateOf, ("a", customer));
        var confirmation = $"wamid.{Guid.NewGuid():N}";
        await DeliverAsync(shop, MetaWebhook.ButtonReply(shop.PhoneNumberId, customer, confirmation, "si", "Sí, confirmar"));
        Assert.Contains("Pedido confirmado", TextOf((await WaitAnsweredAsync(customer, 6))[^1]), StringComparison.Ordinal);
        Assert.Equal(1L, await WaitForCountAsync(
            "SELECT count(*) FROM inbound_messages WHERE message_id LIKE '%:' || @m AND processed_at IS NOT NULL", 1, ("m", confirmation)));

        fixture.Stack.Silos[0].Kill();
        await using (var connection = new NpgsqlConnection(fixture.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var restore = new NpgsqlCommand("""
                UPDATE orleans_grain_state SET payload = @p WHERE grain_id_ext LIKE '%/whatsapp/' || @a;
                UPDATE inbound_messages SET processed_at = NULL WHERE message_id LIKE '%:' || @m; -- WhatsApp ids are scoped by channel
                """, connection);
            restore.Parameters.AddWithValue("p", before);
            restore.Parameters.AddWithValue("a", customer);
            restore.Parameters.AddWithValue("m", confirmation);
            await restore.ExecuteNonQueryAsync();
        }

        fixture.Stack.StartSilo();
        await fixture.Stack.WaitUntilReadyAsync(activeSilos: 1, TimeSpan.FromSeconds(60));
        // Sentinel: the sweeper replays the confirmation and the agent answers it again.
        var replayed = await WaitAnsweredAsync(customer, 7, seconds: 60);
        Assert.Equal(7, replayed.Count);
        Assert.Contains("Pedido confirmado", TextOf(replayed[^1]), StringComparison.Ordinal);

        var sales = await ApiClient.RetryWhileUnavailableAsync(() => shop.Tenant.Admin.GetAsync("/ventas"));
        Assert.Equal(1, sales.Json["total"]!.GetValue<int>());
        Assert.Equal(stockBefore - 1, (await shop.Tenant.Admin.GetAsync($"/productos/{drill["id"]}")).Json["stock"]!.GetValue<int>());
    }
}

/// <summary>Item 10: a long debounce no longer blocks the conversation's other calls.</summary>
public sealed class ConversationDebounceTests : IAsyncLifetime
{
    private const string PhoneNumberId = "300400500600";
    private const string AppSecret = "secreto-debounce";

    private PostgresDatabase _database = null!;
    private ProductStack _stack = null!;
    private FakeMessaging _platforms = null!;

    public async Task InitializeAsync()
    {
        _platforms = await FakeMessaging.StartAsync();
        _database = await PostgresDatabase.CreateAsync();
        _stack = await ProductStack.StartAsync(_database, silos: 1, new Dictionary<string, string>
        {
            ["WhatsApp__GraphApiUrl"] = _platforms.BaseUrl.ToString(),
            ["Channels__DebounceMilliseconds"] = "5000",
        });
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        await _database.DisposeAsync();
        await _platforms.DisposeAsync();
    }

    [Fact]
    public async Task Taking_a_chat_over_right_after_a_message_does_not_wait_for_the_debounce_and_the_agent_stays_quiet()
    {
        using var anonymous = new ApiClient(_stack.CreateClient());
        var tenant = await anonymous.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "reemplazar")).Status);
        _platforms.RegisterWhatsApp(PhoneNumberId, "EAAG-token");
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.PutAsync("/canales/whatsapp", new
        {
            phone_number_id = PhoneNumberId, access_token = "EAAG-token", app_secret = AppSecret, verify_token = "verificacion-d",
        })).Status);
        const string customer = "573009998877";
        async Task DeliverAsync(string id, string text)
        {
            var body = MetaWebhook.TextMessage(PhoneNumberId, customer, id, text);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
            request.Headers.Add("X-Hub-Signature-256", MetaWebhook.Sign(body, AppSecret));
            Assert.Equal(HttpStatusCode.OK, (await anonymous.Http.SendAsync(request)).StatusCode);
        }

        await DeliverAsync($"wamid.{Guid.NewGuid():N}", "hola");
        await _platforms.WaitForAsync(customer, 1, TimeSpan.FromSeconds(30));
        var id = (await tenant.Admin.GetAsync("/conversaciones?canal=whatsapp")).Json["items"]![0]!["id"]!.GetValue<string>();
        var second = $"wamid.{Guid.NewGuid():N}";

        await DeliverAsync(second, "¿tienen martillo?");
        var taken = await tenant.Admin.PostAsync($"/conversaciones/{id}/tomar", null);

        Assert.Equal("humano", taken.Json["estado"]!.GetValue<string>());
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        async Task<bool> ProcessedAsync()
        {
            await using var query = new NpgsqlCommand("SELECT processed_at IS NOT NULL FROM inbound_messages WHERE message_id LIKE '%:' || @m", connection);
            query.Parameters.AddWithValue("m", second);
            return (bool)(await query.ExecuteScalarAsync())!;
        }

        // tomar answered while the message still waited out its debounce.
        Assert.False(await ProcessedAsync());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await ProcessedAsync() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.True(await ProcessedAsync());
        Assert.Single(_platforms.To(customer));
        var detail = await tenant.Admin.GetAsync($"/conversaciones/{id}");
        Assert.Equal(["cliente", "agente", "cliente"], detail.Json["mensajes"]!.AsArray().Select(m => m!["rol"]!.GetValue<string>()));
    }
}
