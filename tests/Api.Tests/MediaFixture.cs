using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

/// <summary>
/// One product stack (no OpenAI key: the agent is offline) with an empresa that has WhatsApp and Telegram configured
/// against the fake platforms; builds and signs the deliveries of photos, voice notes, documents and stickers.
/// </summary>
public sealed class MediaFixture : IAsyncLifetime
{
    public const string PhoneNumberId = "109876543299";
    public const string AppSecret = "secreto-app-medios";
    public const string AccessToken = "EAAG-token-medios";
    public const string BotToken = "4242:MEDIOS-token";
    public const string TelegramSecret = "secreto-telegram-medios";

    private PostgresDatabase _database = null!;
    private ProductStack _stack = null!;

    public FakeMessaging Platforms { get; private set; } = null!;

    public ApiClient Anonymous { get; private set; } = null!;

    public Tenant Tenant { get; private set; } = null!;

    public ChannelRecords Records { get; private set; } = null!;

    public string TelegramWebhook { get; private set; } = null!;

    /// <summary>Extra settings of the stack (the OpenAI ones for <see cref="VoiceTranscriptionTests"/>).</summary>
    public Dictionary<string, string> Settings { get; } = [];

    public async Task InitializeAsync()
    {
        Platforms = await FakeMessaging.StartAsync();
        Platforms.RegisterWhatsApp(PhoneNumberId, AccessToken);
        Platforms.RegisterTelegram(BotToken);
        _database = await PostgresDatabase.CreateAsync();
        Records = new ChannelRecords(_database);
        var settings = new Dictionary<string, string>
        {
            ["WhatsApp__GraphApiUrl"] = Platforms.BaseUrl.ToString(),
            ["Telegram__ApiUrl"] = Platforms.BaseUrl.ToString(),
            ["Channels__DebounceMilliseconds"] = "200",
            ["Channels__BackoffMilliseconds"] = "50",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        _stack = await ProductStack.StartAsync(_database, silos: 1, settings);
        Anonymous = new ApiClient(_stack.CreateClient());
        Tenant = await Anonymous.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await Tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "reemplazar")).Status);
        var whatsApp = await Tenant.Admin.PutAsync("/canales/whatsapp", new
        {
            phone_number_id = PhoneNumberId, access_token = AccessToken, app_secret = AppSecret, verify_token = "verificar-medios",
        });
        Assert.True(whatsApp.Status == HttpStatusCode.OK, whatsApp.Body);
        var telegram = await Tenant.Admin.PutAsync("/canales/telegram", new { bot_token = BotToken, secret_token = TelegramSecret });
        Assert.True(telegram.Status == HttpStatusCode.OK, telegram.Body);
        TelegramWebhook = telegram.Json["webhook_url"]!.GetValue<string>();
    }

    public async Task DisposeAsync()
    {
        Anonymous?.Dispose();
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (Platforms is not null)
        {
            await Platforms.DisposeAsync();
        }
    }

    public static string NewCustomer() => "57301" + Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);

    public string WhatsAppKey(string customer) => ChannelRecords.Key(Tenant.EmpresaId, "whatsapp", customer);

    public string TelegramKey(long chat) => ChannelRecords.Key(Tenant.EmpresaId, "telegram", chat.ToString(CultureInfo.InvariantCulture));

    /// <summary>A WhatsApp message of a media type ({type: {id, mime_type, sha256, …}}), its bytes registered on the fake Graph API.</summary>
    public JsonObject WhatsAppMedia(string from, string type, string mime, byte[] bytes, JsonObject? extra = null)
    {
        var mediaId = Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString(CultureInfo.InvariantCulture);
        Platforms.RegisterMedia(mediaId, mime, bytes);
        var media = new JsonObject { ["mime_type"] = mime, ["sha256"] = FakeMessaging.Sha256Of(bytes), ["id"] = mediaId };
        foreach (var (key, value) in extra ?? [])
        {
            media[key] = value?.DeepClone();
        }

        return WhatsAppMessage(from, type, media);
    }

    public static JsonObject WhatsAppMessage(string from, string type, JsonObject content) => new()
    {
        ["from"] = from,
        ["id"] = $"wamid.{Guid.NewGuid():N}",
        ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        ["type"] = type,
        [type] = content,
    };

    public async Task DeliverAsync(string from, JsonObject message)
    {
        var body = MetaWebhook.Message(PhoneNumberId, from, message);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Hub-Signature-256", MetaWebhook.Sign(body, AppSecret));
        using var response = await Anonymous.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A Telegram update whose message carries <paramref name="content"/> (photo, voice…) besides from/chat/date.</summary>
    public async Task DeliverTelegramAsync(long chat, JsonObject content)
    {
        var message = new JsonObject
        {
            ["message_id"] = Random.Shared.Next(1, 100_000),
            ["from"] = new JsonObject { ["id"] = chat, ["first_name"] = $"Cliente {chat}" },
            ["chat"] = new JsonObject { ["id"] = chat, ["type"] = "private" },
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
        foreach (var (key, value) in content)
        {
            message[key] = value?.DeepClone();
        }

        var update = new JsonObject { ["update_id"] = Random.Shared.Next(1, int.MaxValue), ["message"] = message }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, TelegramWebhook) { Content = new StringContent(update, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", TelegramSecret);
        using var response = await Anonymous.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The conversation of a WhatsApp customer or Telegram chat as GET /conversaciones/{id} shows it.</summary>
    public async Task<JsonNode> ConversationAsync(string channel, Func<JsonNode, bool> match)
    {
        var list = await Tenant.Admin.GetAsync($"/conversaciones?canal={channel}&tamano=100");
        var id = list.Json["items"]!.AsArray().Single(c => match(c!))!["id"]!.GetValue<string>();
        var detail = await Tenant.Admin.GetAsync($"/conversaciones/{id}");
        Assert.True(detail.Status == HttpStatusCode.OK, detail.Body);
        return detail.Json;
    }

    public Task<JsonNode> WhatsAppConversationAsync(string customer) =>
        ConversationAsync("whatsapp", c => c["cliente"]!["telefono"]?.GetValue<string>() == "+" + customer);

    // WhatsApp text.body, interactive.body.text or image.caption; Telegram text or caption.
    public static string TextOf(FakeMessaging.Sent sent) => sent.Body["text"] switch
    {
        JsonObject text => text["body"]?.GetValue<string>() ?? "",
        JsonValue text => text.GetValue<string>(),
        _ => sent.Body["interactive"]?["body"]?["text"]?.GetValue<string>()
            ?? sent.Body["image"]?["caption"]?.GetValue<string>()
            ?? sent.Body["caption"]?.GetValue<string>() ?? "",
    };
}
