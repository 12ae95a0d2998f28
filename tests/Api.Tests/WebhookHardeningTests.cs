using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace AgenteVendedor.Api.Tests;

/// <summary>One product stack for <see cref="WebhookHardeningTests"/>: fake platforms, an empresa with a catalog, WhatsApp and Telegram.</summary>
public sealed class WebhookHardeningStack : IAsyncLifetime
{
    public const string PhoneNumberId = "100000000001";
    public const string AccessToken = "EAAG-token-empresa-a";
    public const string AppSecret = "secreto-app-empresa-a";
    public const string VerifyToken = "verificacion-empresa-a";
    public const string TelegramSecret = "secreto-telegram-a";

    public PostgresDatabase Database { get; private set; } = null!;

    public ProductStack Stack { get; private set; } = null!;

    public FakeMessaging Platforms { get; private set; } = null!;

    public ApiClient Anonymous { get; private set; } = null!;

    public Tenant Tenant { get; private set; } = null!;

    public string TelegramWebhook { get; private set; } = null!;

    /// <summary>The silo serving now: the stack's first, or the one a key-rotation test started in its place.</summary>
    public ProductProcess Silo { get; set; } = null!;

    public List<ProductProcess> StartedSilos { get; } = [];

    public async Task InitializeAsync()
    {
        Platforms = await FakeMessaging.StartAsync();
        Platforms.RegisterTelegram("111:AAA-token-a");
        Database = await PostgresDatabase.CreateAsync();
        Stack = await ProductStack.StartAsync(Database, silos: 1, new Dictionary<string, string>(ProductStack.FastFailover)
        {
            ["WhatsApp__GraphApiUrl"] = Platforms.BaseUrl.ToString(),
            ["Telegram__ApiUrl"] = Platforms.BaseUrl.ToString(),
            ["Channels__DebounceMilliseconds"] = "200",
            ["Channels__BackoffMilliseconds"] = "50",
            // The anonymous-junk test posts 1,000 webhooks from one address: no per-client limit may answer them first.
            ["RateLimiting__WebhookPermitsPerSecond"] = "1000000",
        });
        Silo = Stack.Silos[0];
        Anonymous = new ApiClient(Stack.CreateClient());
        Tenant = await Anonymous.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await Tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "reemplazar")).Status);
        Platforms.RegisterWhatsApp(PhoneNumberId, AccessToken);
        var whatsApp = await Tenant.Admin.PutAsync("/canales/whatsapp", new
        {
            phone_number_id = PhoneNumberId, access_token = AccessToken, app_secret = AppSecret, verify_token = VerifyToken,
        });
        Assert.True(whatsApp.Status == HttpStatusCode.OK, whatsApp.Body);
        var telegram = await Tenant.Admin.PutAsync("/canales/telegram", new { bot_token = "111:AAA-token-a", secret_token = TelegramSecret });
        Assert.Equal(HttpStatusCode.OK, telegram.Status);
        TelegramWebhook = telegram.Json["webhook_url"]!.GetValue<string>();
    }

    public async Task DisposeAsync()
    {
        Anonymous.Dispose();
        await Stack.DisposeAsync();
        foreach (var silo in StartedSilos)
        {
            await silo.DisposeAsync();
        }

        await Database.DisposeAsync();
        await Platforms.DisposeAsync();
    }
}

/// <summary>
/// Webhooks and channels against strangers and mistakes: bodies of any shape, anonymous junk, claims
/// on another business's number, secrets at rest and their key's rotation, inbox ids per channel.
/// Real silo and Api processes, the fake Graph and Bot APIs on loopback, one stack for the class.
/// </summary>
public sealed class WebhookHardeningTests(WebhookHardeningStack fixture, ITestOutputHelper output) : IClassFixture<WebhookHardeningStack>
{
    private const string PhoneNumberId = WebhookHardeningStack.PhoneNumberId;
    private const string AccessToken = WebhookHardeningStack.AccessToken;
    private const string AppSecret = WebhookHardeningStack.AppSecret;
    private const string VerifyToken = WebhookHardeningStack.VerifyToken;
    private const string TelegramSecret = WebhookHardeningStack.TelegramSecret;

    private PostgresDatabase Database => fixture.Database;

    private ProductStack Stack => fixture.Stack;

    private FakeMessaging Platforms => fixture.Platforms;

    private ApiClient Anonymous => fixture.Anonymous;

    private Tenant TenantA => fixture.Tenant;

    private string TelegramWebhook => fixture.TelegramWebhook;

    private async Task ConnectWhatsAppAsync(Tenant tenant, string phoneNumberId, string accessToken, string appSecret, string verifyToken)
    {
        Platforms.RegisterWhatsApp(phoneNumberId, accessToken);
        var answer = await tenant.Admin.PutAsync("/canales/whatsapp", new
        {
            phone_number_id = phoneNumberId, access_token = accessToken, app_secret = appSecret, verify_token = verifyToken,
        });
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
    }

    private async Task<Answer> DeliverAsync(byte[] body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
        }

        using var response = await Anonymous.Http.SendAsync(request);
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers, await response.Content.ReadAsStringAsync());
    }

    private async Task<Answer> DeliverTelegramAsync(string body, string secret = TelegramSecret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TelegramWebhook) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        using var response = await Anonymous.Http.SendAsync(request);
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers, await response.Content.ReadAsStringAsync());
    }

    private static string NewCustomer() => "57301" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string NewPhoneNumberId() => "2" + Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Json(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    /// <summary>A delivery of Meta's shape for one phone number, with the messages, contacts and statuses given as they are.</summary>
    private static JsonObject Envelope(JsonNode phoneNumberId, JsonArray? messages = null, JsonArray? contacts = null, JsonArray? statuses = null)
    {
        var value = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["metadata"] = new JsonObject { ["display_phone_number"] = "15550001111", ["phone_number_id"] = phoneNumberId },
        };
        if (contacts is not null)
        {
            value["contacts"] = contacts;
        }

        if (messages is not null)
        {
            value["messages"] = messages;
        }

        if (statuses is not null)
        {
            value["statuses"] = statuses;
        }

        return new JsonObject
        {
            ["object"] = "whatsapp_business_account",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["id"] = "1234567890",
                ["changes"] = new JsonArray(new JsonObject { ["field"] = "messages", ["value"] = value }),
            }),
        };
    }

    private static JsonObject TextMessage(string from, string id, JsonNode? body, JsonNode? timestamp = null) => new()
    {
        ["from"] = from,
        ["id"] = id,
        ["timestamp"] = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["type"] = "text",
        ["text"] = new JsonObject { ["body"] = body },
    };

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }

    private Task<long> InboxRowsForAsync(string customer) =>
        CountAsync("SELECT count(*) FROM inbound_messages WHERE conversation_key LIKE '%/' || @c", ("c", customer));

    [Fact]
    public async Task Webhook_bodies_of_the_wrong_shape_answer_400_and_store_nothing()
    {
        var before = await CountAsync("SELECT count(*) FROM inbound_messages");
        string[] whatsApp =
        [
            "[]", "\"texto\"", "5", "null", "true", "{}", "{\"entry\": 5}", "{\"object\": \"whatsapp_business_account\", \"entry\": 5}",
            "{\"object\": \"whatsapp_business_account\", \"entry\": [5]}", "{\"object\": \"whatsapp_business_account\", \"entry\": [{\"changes\": {}}]}",
            Envelope(12345).ToJsonString(),
            Envelope(new JsonArray("100000000001")).ToJsonString(),
            Envelope(new JsonObject { ["id"] = PhoneNumberId }).ToJsonString(),
            Envelope("abc-100").ToJsonString(),
            Envelope(new string('1', 21)).ToJsonString(),
            Envelope(PhoneNumberId, messages: null).ToJsonString().Replace("\"messaging_product\"", "\"messages\": 5, \"x\"", StringComparison.Ordinal),
            Envelope(PhoneNumberId).ToJsonString().Replace("whatsapp_business_account", "page", StringComparison.Ordinal),
            "{\"object\": \"whatsapp_business_account\", \"entry\": [{\"changes\": [{\"field\": \"messages\", \"value\": " + Nested(5_000) + "}]}]}",
            Nested(100_000),
            "{\"object\": ",
            "",
        ];
        foreach (var body in whatsApp)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            var answer = await DeliverAsync(bytes, MetaWebhook.Sign(bytes, AppSecret));
            Assert.True(answer.Status == HttpStatusCode.BadRequest, $"{(int)answer.Status} for {body[..Math.Min(body.Length, 120)]}: {answer.Body}");
            answer.AssertProblem(HttpStatusCode.BadRequest);
        }

        string[] telegram = ["[]", "\"texto\"", "5", "null", "{}", "{\"update_id\": \"7\"}", "{\"update_id\": 1.5}", "{\"update_id\": [7]}", Nested(100_000), "{"];
        foreach (var body in telegram)
        {
            var answer = await DeliverTelegramAsync(body);
            Assert.True(answer.Status == HttpStatusCode.BadRequest, $"{(int)answer.Status} for Telegram {body[..Math.Min(body.Length, 120)]}: {answer.Body}");
            answer.AssertProblem(HttpStatusCode.BadRequest);
        }

        Assert.Equal(before, await CountAsync("SELECT count(*) FROM inbound_messages"));
    }

    [Fact]
    public async Task Fields_of_unexpected_types_skip_only_their_message_and_the_rest_is_answered()
    {
        var good = NewCustomer();
        var numericTime = NewCustomer();
        var objectBody = NewCustomer();
        var numericId = NewCustomer();
        var body = Json(Envelope(PhoneNumberId,
            messages: new JsonArray(
                TextMessage(good, $"wamid.{Guid.NewGuid():N}", "¿tienen martillo?"),
                // A whole number is read as the unix time; the message is kept.
                TextMessage(numericTime, $"wamid.{Guid.NewGuid():N}", "¿tienen brocha?", timestamp: DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
                TextMessage(objectBody, $"wamid.{Guid.NewGuid():N}", new JsonObject { ["texto"] = "hola" }),
                new JsonObject { ["from"] = numericId, ["id"] = 12345, ["type"] = "text", ["text"] = new JsonObject { ["body"] = "hola" } },
                TextMessage(new string('5', 400), $"wamid.{Guid.NewGuid():N}", "hola"),
                TextMessage(good, new string('w', 201), "hola"),
                5,
                "texto",
                new JsonObject { ["from"] = good, ["id"] = $"wamid.{Guid.NewGuid():N}", ["type"] = "text", ["text"] = "hola" },
                new JsonObject { ["from"] = good, ["id"] = $"wamid.{Guid.NewGuid():N}", ["type"] = "location", ["location"] = new JsonObject { ["latitude"] = "4,6" } }),
            contacts: new JsonArray(
                new JsonObject { ["wa_id"] = good, ["profile"] = new JsonObject { ["name"] = new JsonObject { ["nombre"] = "x" } } },
                new JsonObject { ["wa_id"] = 5 },
                "contacto"),
            statuses: new JsonArray(
                new JsonObject { ["id"] = $"wamid.{Guid.NewGuid():N}", ["status"] = "failed", ["timestamp"] = 1700000000, ["errors"] = new JsonArray(new JsonObject { ["code"] = 131047 }) },
                new JsonObject { ["id"] = new JsonArray(), ["status"] = "read" },
                new JsonObject { ["id"] = $"wamid.{Guid.NewGuid():N}", ["status"] = new string('x', 500) })));

        var answer = await DeliverAsync(body, MetaWebhook.Sign(body, AppSecret));

        Assert.True(answer.Status == HttpStatusCode.OK, $"{(int)answer.Status}: {answer.Body}");
        Assert.Contains("Martillo", (await Platforms.WaitForAsync(good, 1))[0].Body["text"]!["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Brocha", (await Platforms.WaitForAsync(numericTime, 1))[0].Body["text"]!["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1L, await InboxRowsForAsync(good));
        Assert.Equal(0L, await InboxRowsForAsync(objectBody));
        Assert.Equal(0L, await InboxRowsForAsync(numericId));
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM delivery_statuses WHERE status = 'failed' AND error_code = '131047'"));

        // Telegram: a date that is a string keeps the message; a text that is an object skips it.
        var kept = Random.Shared.Next(1_000, 900_000);
        var skipped = kept + 1;
        Assert.Equal(HttpStatusCode.OK, (await DeliverTelegramAsync(new JsonObject
        {
            ["update_id"] = Random.Shared.Next(1, int.MaxValue),
            ["message"] = new JsonObject
            {
                ["chat"] = new JsonObject { ["id"] = kept }, ["from"] = new JsonObject { ["first_name"] = 5 }, ["date"] = "ayer", ["text"] = "¿tienen martillo?",
            },
        }.ToJsonString())).Status);
        Assert.Equal(HttpStatusCode.OK, (await DeliverTelegramAsync(new JsonObject
        {
            ["update_id"] = Random.Shared.Next(1, int.MaxValue),
            ["message"] = new JsonObject { ["chat"] = new JsonObject { ["id"] = skipped }, ["text"] = new JsonObject { ["a"] = 1 } },
        }.ToJsonString())).Status);
        Assert.Equal(HttpStatusCode.OK, (await DeliverTelegramAsync(new JsonObject
        {
            ["update_id"] = Random.Shared.Next(1, int.MaxValue),
            ["message"] = "texto",
            ["callback_query"] = 5,
        }.ToJsonString())).Status);
        Assert.Contains("Martillo", (await Platforms.WaitForAsync(kept.ToString(System.Globalization.CultureInfo.InvariantCulture), 1))[0].Body["text"]!.GetValue<string>(),
            StringComparison.Ordinal);
        Assert.Equal(0L, await InboxRowsForAsync(skipped.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_thousand_anonymous_posts_with_huge_unique_ids_do_not_grow_the_silo()
    {
        const int Posts = 1_000;
        const int IdLength = 400_000;
        var prefix = Encoding.UTF8.GetBytes("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"");
        var suffix = Encoding.UTF8.GetBytes("\"},\"messages\":[]}}]}]}");
        byte[] Body(int i)
        {
            // Digits only, unique per post: the first seven digits are the post's number.
            var body = new byte[prefix.Length + IdLength + suffix.Length];
            prefix.CopyTo(body, 0);
            body.AsSpan(prefix.Length, IdLength).Fill((byte)'7');
            Encoding.ASCII.GetBytes(i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture)).CopyTo(body, prefix.Length);
            suffix.CopyTo(body, prefix.Length + IdLength);
            return body;
        }

        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        async Task PostAsync(int from, int to)
        {
            for (var i = from; i < to; i++)
            {
                statuses.Add((await DeliverAsync(Body(i), "sha256=00")).Status);
            }
        }

        await PostAsync(Posts, Posts + 20); // warm-up: buffers and code paths exist before the baseline
        var residentBefore = ResidentMiB(fixture.Silo);
        var peakBefore = fixture.Silo.PeakMemoryMiB();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => PostAsync(w * Posts / 4, (w + 1) * Posts / 4)));
        var residentAfter = ResidentMiB(fixture.Silo);
        var peakAfter = fixture.Silo.PeakMemoryMiB();

        var growth = Math.Max(residentAfter - residentBefore, peakAfter - peakBefore);
        output.WriteLine($"silo resident {residentBefore} → {residentAfter} MiB, peak {peakBefore} → {peakAfter} MiB; growth {growth} MiB after {Posts} posts of {IdLength / 1000} KB ids");
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.BadRequest, s));
        Assert.True(growth < 100, $"the silo grew by {growth} MiB");
    }

    private static long ResidentMiB(ProductProcess process)
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    [Fact]
    public async Task Only_a_token_Meta_accepts_for_the_number_can_claim_it()
    {
        var owner = await Anonymous.RegisterAsync("Papelería La Original");
        var thief = await Anonymous.RegisterAsync("Papelería La Copia");
        var number = NewPhoneNumberId();
        Platforms.RegisterWhatsApp(number, "EAAG-del-dueno");
        Platforms.RegisterWhatsApp(NewPhoneNumberId(), "EAAG-del-ladron");
        object Claim(string token) => new { phone_number_id = number, access_token = token, app_secret = "secreto-app", verify_token = "verificacion-x" };

        var unknownToken = await thief.Admin.PutAsync("/canales/whatsapp", Claim("EAAG-inventado"));
        unknownToken.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Invalid OAuth access token", unknownToken.Detail, StringComparison.Ordinal);
        Assert.Contains(number, unknownToken.Detail, StringComparison.Ordinal);
        var otherNumbersToken = await thief.Admin.PutAsync("/canales/whatsapp", Claim("EAAG-del-ladron"));
        otherNumbersToken.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Unsupported get request", otherNumbersToken.Detail, StringComparison.Ordinal);

        Platforms.FailNextLookup(0);
        var unreachable = await owner.Admin.PutAsync("/canales/whatsapp", Claim("EAAG-del-dueno"));
        unreachable.AssertProblem(HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(unreachable.Headers.RetryAfter);
        Platforms.FailNextLookup(500, "{\"error\":{\"message\":\"An unexpected error has occurred.\",\"type\":\"OAuthException\",\"code\":2}}");
        (await owner.Admin.PutAsync("/canales/whatsapp", Claim("EAAG-del-dueno"))).AssertProblem(HttpStatusCode.ServiceUnavailable);
        (await owner.Admin.PutAsync("/canales/whatsapp", new { phone_number_id = "+57 300", access_token = "EAAG-del-dueno", app_secret = "s", verify_token = "verificacion-x" }))
            .AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM channels WHERE external_id = @n", ("n", number)));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM audit_log WHERE entity = 'canal' AND tenant_id IN (@a, @b)", ("a", owner.EmpresaId), ("b", thief.EmpresaId)));

        var claimed = await owner.Admin.PutAsync("/canales/whatsapp", Claim("EAAG-del-dueno"));
        Assert.Equal(HttpStatusCode.OK, claimed.Status);
        Assert.Equal(number, claimed.Json["id_externo"]!.GetValue<string>());
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM channels WHERE external_id = @n AND tenant_id = @t", ("n", number), ("t", owner.EmpresaId)));
    }

    [Fact]
    public async Task Channel_configuration_changes_write_their_audit_row()
    {
        var tenant = await Anonymous.RegisterAsync("Tienda Auditada");
        var number = NewPhoneNumberId();
        await ConnectWhatsAppAsync(tenant, number, "EAAG-auditada", "secreto-auditada", "verificacion-auditada");
        var first = await tenant.Admin.PutAsync("/canales/telegram", new { bot_token = "222:BBB", secret_token = "secreto-auditada" });
        var second = await tenant.Admin.PutAsync("/canales/telegram", new { bot_token = "222:CCC", secret_token = "secreto-auditada-2" });

        // Reconfiguring keeps the channel (its id seals its secrets), so the Telegram webhook URL stays the same.
        Assert.Equal(first.Json["webhook_url"]!.GetValue<string>(), second.Json["webhook_url"]!.GetValue<string>());
        var audit = await tenant.Admin.GetAsync("/auditoria?entidad=canal");
        Assert.Equal(HttpStatusCode.OK, audit.Status);
        var rows = audit.Json["items"]!.AsArray();
        Assert.Equal(3, rows.Count(r => r!["accion"]!.GetValue<string>() == "configurar"));
        Assert.Contains(rows, r => r!["detalle"]!["tipo"]!.GetValue<string>() == "whatsapp" && r["detalle"]!["id_externo"]!.GetValue<string>() == number);
        Assert.DoesNotContain("secreto-auditada", audit.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verification_finds_the_token_by_its_hash_and_an_unreadable_channel_does_not_break_it()
    {
        var broken = await Anonymous.RegisterAsync("Tienda Con Secretos Ilegibles");
        await using (var connection = await Database.OpenAsync())
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO channels (id, tenant_id, kind, external_id, secrets) VALUES (@id, @t, 'whatsapp', @e, @s)", connection);
            insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
            insert.Parameters.AddWithValue("t", broken.EmpresaId);
            insert.Parameters.AddWithValue("e", NewPhoneNumberId());
            insert.Parameters.AddWithValue("s", RandomNumberGenerator.GetBytes(60));
            await insert.ExecuteNonQueryAsync();
        }

        var known = await Anonymous.Http.GetAsync($"/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={VerifyToken}&hub.challenge=8811");
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal("8811", await known.Content.ReadAsStringAsync());
        var unknown = await Anonymous.GetAsync("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=otro-token-cualquiera&hub.challenge=8811");
        unknown.AssertProblem(HttpStatusCode.Forbidden);
        var huge = await Anonymous.GetAsync($"/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={new string('v', 4000)}&hub.challenge=1");
        huge.AssertProblem(HttpStatusCode.Forbidden);
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM channels WHERE external_id = @p AND length(verify_token_hash) = 32", ("p", PhoneNumberId)));
    }

    [Fact]
    public async Task Sealed_secrets_are_bound_to_their_channel_and_key_files_are_private()
    {
        var first = await Anonymous.RegisterAsync("Tienda Uno");
        var second = await Anonymous.RegisterAsync("Tienda Dos");
        var firstNumber = NewPhoneNumberId();
        var secondNumber = NewPhoneNumberId();
        await ConnectWhatsAppAsync(first, firstNumber, "EAAG-uno", "secreto-uno", "verificacion-uno");
        await ConnectWhatsAppAsync(second, secondNumber, "EAAG-dos", "secreto-dos", "verificacion-dos");

        // Someone with access to the table copies the first channel's ciphertext onto the second.
        await using (var connection = await Database.OpenAsync())
        {
            await using var copy = new NpgsqlCommand(
                "UPDATE channels SET secrets = (SELECT secrets FROM channels WHERE external_id = @from) WHERE external_id = @to", connection);
            copy.Parameters.AddWithValue("from", firstNumber);
            copy.Parameters.AddWithValue("to", secondNumber);
            Assert.Equal(1, await copy.ExecuteNonQueryAsync());
        }

        var customer = NewCustomer();
        var body = MetaWebhook.TextMessage(secondNumber, customer, $"wamid.{Guid.NewGuid():N}", "hola");
        var answer = await DeliverAsync(body, MetaWebhook.Sign(body, "secreto-uno"));

        answer.AssertProblem(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(0L, await InboxRowsForAsync(customer));
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM channels WHERE external_id = @n AND get_byte(secrets, 0) = 1", ("n", firstNumber)));

        Assert.False(OperatingSystem.IsWindows(), "the product runs on Linux");
        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(Stack.DataDirectory, "secrets.key")));
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(Stack.DataDirectory, "jwt-signing.key")));
        }
    }

    [Fact]
    public async Task The_same_message_id_on_two_empresas_channels_is_answered_on_both()
    {
        var other = await Anonymous.RegisterAsync("Ferretería El Tornillo");
        Assert.Equal(HttpStatusCode.OK, (await other.Admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "reemplazar")).Status);
        var otherNumber = NewPhoneNumberId();
        await ConnectWhatsAppAsync(other, otherNumber, "EAAG-tornillo", "secreto-tornillo", "verificacion-tornillo");
        var wamid = $"wamid.{Guid.NewGuid():N}";
        var ours = NewCustomer();
        var theirs = NewCustomer();
        var toUs = MetaWebhook.TextMessage(PhoneNumberId, ours, wamid, "¿tienen martillo?");
        var toThem = MetaWebhook.TextMessage(otherNumber, theirs, wamid, "¿tienen martillo?");

        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(toUs, MetaWebhook.Sign(toUs, AppSecret))).Status);
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(toThem, MetaWebhook.Sign(toThem, "secreto-tornillo"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(toThem, MetaWebhook.Sign(toThem, "secreto-tornillo"))).Status);

        Assert.Single(await Platforms.WaitForAsync(ours, 1));
        var replies = await Platforms.WaitForAsync(theirs, 1);
        Assert.Single(replies);
        Assert.Equal($"/v21.0/{otherNumber}/messages", replies[0].Path);
        Assert.Equal(2L, await CountAsync("SELECT count(*) FROM inbound_messages WHERE message_id LIKE '%:' || @m", ("m", wamid)));
    }

    [Fact]
    public async Task Inbox_rows_stored_before_the_upgrade_are_rekeyed_and_a_redelivery_finds_them()
    {
        var customer = NewCustomer();
        var wamid = $"wamid.{Guid.NewGuid():N}";
        await using (var connection = await Database.OpenAsync())
        {
            // A row as the previous version stored it: Meta's id alone, already answered.
            await using var insert = new NpgsqlCommand("""
                INSERT INTO inbound_messages (channel, message_id, tenant_id, conversation_key, text, sent_at, processed_at)
                VALUES ('whatsapp', @m, @t, @k, 'hola', now(), now())
                """, connection);
            insert.Parameters.AddWithValue("m", wamid);
            insert.Parameters.AddWithValue("t", TenantA.EmpresaId);
            insert.Parameters.AddWithValue("k", $"{TenantA.EmpresaId:N}/whatsapp/{customer}");
            await insert.ExecuteNonQueryAsync();
            // The migration's statements run again over it, as they ran over the old rows (they are idempotent).
            await using var migrate = new NpgsqlCommand(
                await File.ReadAllTextAsync(Path.Combine(Repository.Root, "sql", "0050_whatsapp_inbox_scoped_by_channel.sql")), connection);
            await migrate.ExecuteNonQueryAsync();
        }

        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM inbound_messages WHERE message_id = (SELECT replace(id::text, '-', '') FROM channels WHERE external_id = @p) || ':' || @m",
            ("p", PhoneNumberId), ("m", wamid)));
        var again = MetaWebhook.TextMessage(PhoneNumberId, customer, wamid, "hola");
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(again, MetaWebhook.Sign(again, AppSecret))).Status);
        // Sentinel: a new message of the same customer is answered; the redelivered one was not stored again.
        var next = MetaWebhook.TextMessage(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", "¿tienen martillo?");
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(next, MetaWebhook.Sign(next, AppSecret))).Status);
        await Platforms.WaitForAsync(customer, 1);
        Assert.Equal(2L, await InboxRowsForAsync(customer));
    }

    [Fact]
    public async Task Rows_of_the_old_layout_and_of_a_rotated_key_open_after_a_restart_and_are_resealed()
    {
        var oldKey = Convert.FromBase64String((await File.ReadAllTextAsync(Path.Combine(Stack.DataDirectory, "secrets.key"))).Trim());
        var legacy = await Anonymous.RegisterAsync("Tienda De Antes");
        Assert.Equal(HttpStatusCode.OK, (await legacy.Admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "reemplazar")).Status);
        var legacyNumber = NewPhoneNumberId();
        Platforms.RegisterWhatsApp(legacyNumber, "EAAG-de-antes");
        var legacyChannel = Guid.CreateVersion7();
        await using (var connection = await Database.OpenAsync())
        {
            // A row as the previous version sealed it: nonce | tag | ciphertext, no associated data, no verify-token hash.
            await using var insert = new NpgsqlCommand(
                "INSERT INTO channels (id, tenant_id, kind, external_id, secrets) VALUES (@id, @t, 'whatsapp', @e, @s)", connection);
            insert.Parameters.AddWithValue("id", legacyChannel);
            insert.Parameters.AddWithValue("t", legacy.EmpresaId);
            insert.Parameters.AddWithValue("e", legacyNumber);
            insert.Parameters.AddWithValue("s", SealAsBefore(oldKey, new { AccessToken = "EAAG-de-antes", AppSecret = "secreto-de-antes", VerifyToken = "verificacion-de-antes" }));
            await insert.ExecuteNonQueryAsync();
        }

        var ourHeaderBefore = await SecretsHeaderAsync(PhoneNumberId);
        var newKey = RandomNumberGenerator.GetBytes(32);
        await ReplaceSiloAsync(new Dictionary<string, string>
        {
            ["Secrets__Key"] = Convert.ToBase64String(newKey),
            ["Secrets__PreviousKeys"] = Convert.ToBase64String(oldKey),
        });

        // Sentinel: the start-up pass re-sealed our channel under the new key.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await SecretsHeaderAsync(PhoneNumberId) == ourHeaderBefore && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        var header = await SecretsHeaderAsync(PhoneNumberId);
        Assert.NotEqual(ourHeaderBefore, header);
        Assert.StartsWith("01", header, StringComparison.Ordinal);
        Assert.Equal(header, await SecretsHeaderAsync(legacyNumber));

        var verified = await Anonymous.Http.GetAsync("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verificacion-de-antes&hub.challenge=4455");
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var customer = NewCustomer();
        var body = MetaWebhook.TextMessage(legacyNumber, customer, $"wamid.{Guid.NewGuid():N}", "¿tienen martillo?");
        Assert.Equal(HttpStatusCode.OK, (await ApiClient.RetryWhileUnavailableAsync(() => DeliverAsync(body, MetaWebhook.Sign(body, "secreto-de-antes")))).Status);
        var reply = (await Platforms.WaitForAsync(customer, 1))[0];
        Assert.Equal("Bearer EAAG-de-antes", reply.Authorization);
        var ours = NewCustomer();
        var ourBody = MetaWebhook.TextMessage(PhoneNumberId, ours, $"wamid.{Guid.NewGuid():N}", "¿tienen martillo?");
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(ourBody, MetaWebhook.Sign(ourBody, AppSecret))).Status);
        Assert.Equal($"Bearer {AccessToken}", (await Platforms.WaitForAsync(ours, 1))[0].Authorization);
    }

    /// <summary>Starts a silo with these settings in place of the current one, and waits until it alone serves.</summary>
    private async Task ReplaceSiloAsync(Dictionary<string, string> settings)
    {
        var environment = new Dictionary<string, string>(Stack.Environment)
        {
            ["Orleans__SiloPort"] = ProductProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = ProductProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        // "Application started" is logged once the silo's start-up tasks are done: before that, killing the
        // silo those tasks call (the inbox sweeper may live there) makes the new silo's start fail.
        environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        var replacement = ProductProcess.Start($"silo-{fixture.StartedSilos.Count + 2}", Repository.SiloDll, environment);
        fixture.StartedSilos.Add(replacement);
        try
        {
            await Stack.WaitUntilReadyAsync(activeSilos: 2, TimeSpan.FromSeconds(90));
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (!replacement.Output.Contains("Application started", StringComparison.Ordinal) && !replacement.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.True(replacement.Output.Contains("Application started", StringComparison.Ordinal), "the new silo did not finish starting");
            fixture.Silo.Kill();
            fixture.Silo = replacement;
            await Stack.WaitUntilReadyAsync(activeSilos: 1, TimeSpan.FromSeconds(90));
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{e.Message}\n--- {replacement.Name} (exited: {replacement.HasExited}) ---\n{replacement.Output}", e);
        }
    }

    private async Task<string> SecretsHeaderAsync(string phoneNumberId)
    {
        await using var connection = await Database.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT encode(substring(secrets FROM 1 FOR 5), 'hex') FROM channels WHERE external_id = @e", connection);
        query.Parameters.AddWithValue("e", phoneNumberId);
        return (string)(await query.ExecuteScalarAsync())!;
    }

    /// <summary>The layout the previous version wrote (AES-256-GCM, nonce | tag | ciphertext, no associated data).</summary>
    private static byte[] SealAsBefore(byte[] key, object value)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(value);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var tag = new byte[16];
        var cipher = new byte[plain.Length];
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, plain, cipher, tag);
        return [.. nonce, .. tag, .. cipher];
    }
}
