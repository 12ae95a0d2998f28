using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;
using Npgsql;

namespace AgenteVendedor.Api.Tests;

/// <summary>What docs/API.md promises about the platforms' webhooks and sends, untested until now.</summary>
public sealed class PlatformBehaviourTests : IAsyncLifetime
{
    private const string PhoneNumberId = "130000111222";
    private const string AccessToken = "EAAG-comportamiento";
    private const string AppSecret = "secreto-comportamiento";
    private const string BotToken = "424242:COMPORTAMIENTO";
    private const string TelegramSecret = "secreto-telegram-comportamiento";

    private PostgresDatabase _database = null!;
    private ProductStack _stack = null!;
    private FakeMessaging _platforms = null!;
    private ChannelRecords _records = null!;
    private ApiClient _anonymous = null!;
    private Tenant _tenant = null!;
    private string _telegramWebhook = null!;

    public async Task InitializeAsync()
    {
        _platforms = await FakeMessaging.StartAsync();
        _platforms.RegisterWhatsApp(PhoneNumberId, AccessToken);
        _platforms.RegisterTelegram(BotToken);
        _database = await PostgresDatabase.CreateAsync();
        _records = new ChannelRecords(_database);
        _stack = await ProductStack.StartAsync(_database, settings: new Dictionary<string, string>
        {
            ["WhatsApp__GraphApiUrl"] = _platforms.BaseUrl.ToString(),
            ["Telegram__ApiUrl"] = _platforms.BaseUrl.ToString(),
            ["Channels__DebounceMilliseconds"] = "200",
            ["Channels__BackoffMilliseconds"] = "50",
        });
        _anonymous = new ApiClient(_stack.CreateClient());
        _tenant = await _anonymous.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await _tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "reemplazar")).Status);
        Assert.Equal(HttpStatusCode.OK, (await _tenant.Admin.PutAsync("/canales/whatsapp", new
        {
            phone_number_id = PhoneNumberId, access_token = AccessToken, app_secret = AppSecret, verify_token = "verificacion-comportamiento",
        })).Status);
        var telegram = await _tenant.Admin.PutAsync("/canales/telegram", new { bot_token = BotToken, secret_token = TelegramSecret });
        _telegramWebhook = telegram.Json["webhook_url"]!.GetValue<string>();
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _stack.DisposeAsync();
        await _database.DisposeAsync();
        await _platforms.DisposeAsync();
    }

    private async Task<HttpStatusCode> DeliverAsync(byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Hub-Signature-256", MetaWebhook.Sign(body, AppSecret));
        using var response = await _anonymous.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static string NewCustomer() => "57301" + Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);

    private string Key(string channel, string address) => ChannelRecords.Key(_tenant.EmpresaId, channel, address);

    private static JsonObject Message(string from, string type, JsonObject content) => new()
    {
        ["from"] = from,
        ["id"] = $"wamid.{Guid.NewGuid():N}",
        ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        ["type"] = type,
        [type] = content,
    };

    private async Task<List<string>> TranscriptAsync(string customer)
    {
        var list = (await _tenant.Admin.GetAsync("/conversaciones?tamano=500")).Json["items"]!.AsArray();
        var id = list.Single(c => c!["cliente"]!["telefono"]?.GetValue<string>() == "+" + customer)!["id"]!.GetValue<string>();
        return (await _tenant.Admin.GetAsync($"/conversaciones/{id}")).Json["mensajes"]!.AsArray()
            .Where(m => m!["rol"]!.GetValue<string>() == "cliente").Select(m => m!["texto"]!.GetValue<string>()).ToList();
    }

    [Fact]
    public async Task An_image_is_read_by_its_caption_and_a_location_by_its_address()
    {
        var customer = NewCustomer();
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(MetaWebhook.Message(PhoneNumberId, customer,
            Message(customer, "image", new JsonObject { ["id"] = "1234", ["mime_type"] = "image/jpeg", ["sha256"] = "abc", ["caption"] = "¿tienen este martillo?" }))));
        await _records.WaitUntilAnsweredAsync(Key("whatsapp", customer), messages: 1);
        Assert.Contains("Martillo", _platforms.To(customer).Select(s => s.Body.ToJsonString()).Single(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(MetaWebhook.Message(PhoneNumberId, customer,
            Message(customer, "location", new JsonObject { ["latitude"] = 4.6097, ["longitude"] = -74.0817, ["address"] = "Calle 26 # 13-19, Bogotá" }))));
        await _records.WaitUntilAnsweredAsync(Key("whatsapp", customer), messages: 2);

        var transcript = await TranscriptAsync(customer);
        Assert.Equal("¿tienen este martillo?", transcript[0]);
        Assert.Contains("Calle 26 # 13-19, Bogotá", transcript[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delivery_statuses_are_recorded_once_each()
    {
        var wamid = $"wamid.{Guid.NewGuid():N}";
        JsonObject Status(string status) => new()
        {
            ["id"] = wamid, ["status"] = status, ["recipient_id"] = "573010000000",
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        };

        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(MetaWebhook.Statuses(PhoneNumberId, Status("read"), Status("sent"), Status("delivered"))));
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(MetaWebhook.Statuses(PhoneNumberId, Status("delivered"))));

        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT status FROM delivery_statuses WHERE external_id = @id ORDER BY status", connection);
        query.Parameters.AddWithValue("id", wamid);
        var statuses = new List<string>();
        await using (var reader = await query.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                statuses.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["delivered", "read", "sent"], statuses);
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_413_and_nothing_is_stored()
    {
        var customer = NewCustomer();
        var huge = MetaWebhook.TextMessage(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", new string('a', 1024 * 1024 + 10));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await DeliverAsync(huge));
        Assert.Empty(await _records.InboundAsync(Key("whatsapp", customer)));
    }

    [Fact]
    public async Task A_number_connected_to_another_empresa_is_409()
    {
        var other = await _anonymous.RegisterAsync("Otra Tienda");
        var taken = await other.Admin.PutAsync("/canales/whatsapp", new
        {
            phone_number_id = PhoneNumberId, access_token = AccessToken, app_secret = "otro-secreto", verify_token = "otra-verificacion",
        });

        taken.AssertProblem(HttpStatusCode.Conflict);
    }

    private async Task<HttpStatusCode> PostTelegramAsync(string webhook, JsonObject update)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook) { Content = new StringContent(update.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", TelegramSecret);
        using var response = await _anonymous.Http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Telegram_callback_queries_are_read_as_text_and_an_unknown_channel_is_404()
    {
        var chat = Random.Shared.Next(100_000, 999_999);
        var update = new JsonObject
        {
            ["update_id"] = Random.Shared.Next(1, int.MaxValue),
            ["callback_query"] = new JsonObject
            {
                ["id"] = "4382bfdwdsb323b2d9",
                ["from"] = new JsonObject { ["id"] = chat, ["first_name"] = "Lucía" },
                ["data"] = "¿tienen brocha?",
                ["message"] = new JsonObject { ["message_id"] = 5, ["chat"] = new JsonObject { ["id"] = chat, ["type"] = "private" }, ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() },
            },
        };

        Assert.Equal(HttpStatusCode.NotFound, await PostTelegramAsync($"/webhooks/telegram/{Guid.NewGuid()}", update));
        Assert.Equal(HttpStatusCode.OK, await PostTelegramAsync(_telegramWebhook, update));
        var chatId = chat.ToString(CultureInfo.InvariantCulture);
        await _records.WaitUntilAnsweredAsync(Key("telegram", chatId), messages: 1);
        Assert.Contains("Brocha", _platforms.To(chatId).Single().Body["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sends_answered_429_are_retried_and_a_human_reply_the_platform_refuses_is_503()
    {
        var customer = NewCustomer();
        _platforms.FailNext(customer, 429, FakeMessaging.MetaError(130429, "Rate limit hit"), times: 2);
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(MetaWebhook.TextMessage(PhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", "¿tienen martillo?")));
        await _records.WaitUntilAnsweredAsync(Key("whatsapp", customer), messages: 1);
        Assert.Equal([429, 429, 200], _platforms.To(customer).Select(s => s.Status));
        Assert.Single(_platforms.AnsweredTo(customer));

        var list = (await _tenant.Admin.GetAsync("/conversaciones?canal=whatsapp&tamano=500")).Json["items"]!.AsArray();
        var id = list.Single(c => c!["cliente"]!["telefono"]?.GetValue<string>() == "+" + customer)!["id"]!.GetValue<string>();
        _platforms.FailNext(customer, 400, FakeMessaging.MetaError(131047, "Re-engagement message"));
        var refused = await _tenant.Admin.PostAsync($"/conversaciones/{id}/mensajes", new { texto = "Hola, ¿sigues interesado?" });

        refused.AssertProblem(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("131047", refused.Detail, StringComparison.Ordinal);
    }
}
