using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

/// <summary>The fake platforms serve media as Meta and Telegram do: metadata then bytes, and only with the credentials.</summary>
public sealed class FakeMediaTests : IAsyncLifetime
{
    private const string PhoneNumberId = "100200300401";
    private const string Token = "EAAG-medios";
    private const string BotToken = "777:bot-medios";

    private FakeMessaging _platforms = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _platforms = await FakeMessaging.StartAsync();
        _platforms.RegisterWhatsApp(PhoneNumberId, Token);
        _platforms.RegisterTelegram(BotToken);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _platforms.DisposeAsync();
    }

    private async Task<HttpResponseMessage> GetAsync(Uri url, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _http.SendAsync(request);
    }

    [Fact]
    public async Task A_whatsapp_media_id_gives_its_url_and_bytes_only_with_the_bearer()
    {
        byte[] photo = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4];
        _platforms.RegisterMedia("1234567890123", "image/jpeg", photo);

        using (var anonymous = await GetAsync(new Uri(_platforms.BaseUrl, "v21.0/1234567890123"), null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using var described = await GetAsync(new Uri(_platforms.BaseUrl, "v21.0/1234567890123"), Token);
        Assert.Equal(HttpStatusCode.OK, described.StatusCode);
        var json = (await described.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.Equal("image/jpeg", json["mime_type"]!.GetValue<string>());
        Assert.Equal(FakeMessaging.Sha256Of(photo), json["sha256"]!.GetValue<string>());
        Assert.Equal(photo.Length, json["file_size"]!.GetValue<int>());
        Assert.Equal("1234567890123", json["id"]!.GetValue<string>());
        Assert.Equal("whatsapp", json["messaging_product"]!.GetValue<string>());
        var url = new Uri(json["url"]!.GetValue<string>());

        using (var without = await GetAsync(url, null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        }

        using (var wrong = await GetAsync(url, "otro-token"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var file = await GetAsync(url, Token);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("image/jpeg", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal(photo, await file.Content.ReadAsByteArrayAsync());

        // A phone number id is still looked up as before.
        using var number = await GetAsync(new Uri(_platforms.BaseUrl, $"v21.0/{PhoneNumberId}"), Token);
        Assert.Equal(HttpStatusCode.OK, number.StatusCode);
    }

    [Fact]
    public async Task A_telegram_file_id_gives_its_path_and_the_path_its_bytes_for_the_bot()
    {
        byte[] voice = [0x4F, 0x67, 0x67, 0x53, 9, 9];
        _platforms.RegisterTelegramFile("AwACAgEAAxkBAAIB", "voice/file_7.oga", voice);

        using var found = await GetAsync(new Uri(_platforms.BaseUrl, $"./bot{BotToken}/getFile?file_id=AwACAgEAAxkBAAIB"), null);
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var json = (await found.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.True(json["ok"]!.GetValue<bool>());
        Assert.Equal("voice/file_7.oga", json["result"]!["file_path"]!.GetValue<string>());

        using (var unknown = await GetAsync(new Uri(_platforms.BaseUrl, "./bot1:otro/getFile?file_id=AwACAgEAAxkBAAIB"), null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        }

        using var file = await GetAsync(new Uri(_platforms.BaseUrl, $"file/bot{BotToken}/voice/file_7.oga"), null);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(voice, await file.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Read_receipts_and_chat_actions_are_not_replies()
    {
        using var receipt = new HttpRequestMessage(HttpMethod.Post, new Uri(_platforms.BaseUrl, $"v21.0/{PhoneNumberId}/messages"))
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["messaging_product"] = "whatsapp", ["status"] = "read", ["message_id"] = "wamid.abc", ["typing_indicator"] = new JsonObject { ["type"] = "text" },
            }),
        };
        receipt.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using (var answered = await _http.SendAsync(receipt))
        {
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }

        using (var typing = await _http.PostAsJsonAsync(new Uri(_platforms.BaseUrl, $"./bot{BotToken}/sendChatAction"), new { chat_id = 4242, action = "typing" }))
        {
            Assert.Equal(HttpStatusCode.OK, typing.StatusCode);
        }

        Assert.Single(_platforms.ReadReceipts());
        Assert.Single(_platforms.ChatActions);
        Assert.Empty(_platforms.To("4242"));
        Assert.Empty(_platforms.AnsweredTo("4242"));
        Assert.DoesNotContain(_platforms.Snapshot(), s => s.Platform == "telegram");
    }
}
