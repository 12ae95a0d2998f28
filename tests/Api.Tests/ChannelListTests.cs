using System.Net;
using System.Text.Json.Nodes;

namespace AgenteVendedor.Api.Tests;

/// <summary><c>GET /canales</c>: what an admin's panel shows of the channels, never a secret.</summary>
[Collection(LiveEventsCollection.Name)]
public sealed class ChannelListTests(LiveEventsStack live)
{
    private const string TelegramSecret = "secreto-del-webhook-telegram";

    [Fact]
    public async Task An_empresa_without_channels_lists_none()
    {
        var tenant = await live.Anonymous.RegisterAsync();

        var listed = await tenant.Admin.GetAsync("/canales");

        Assert.Equal(HttpStatusCode.OK, listed.Status);
        Assert.Empty(listed.Json.AsArray());
    }

    [Fact]
    public async Task Configured_channels_are_listed_with_their_webhook_urls_and_no_secrets()
    {
        var tenant = await live.Anonymous.RegisterAsync();
        var whatsApp = await tenant.Admin.PutAsync("/canales/whatsapp", new
        {
            phone_number_id = LiveEventsStack.ChannelsPhoneNumberId, access_token = LiveEventsStack.AccessToken,
            app_secret = LiveEventsStack.AppSecret, verify_token = LiveEventsStack.VerifyToken,
        });
        var telegram = await tenant.Admin.PutAsync("/canales/telegram", new { bot_token = LiveEventsStack.BotToken, secret_token = TelegramSecret });
        Assert.Equal(HttpStatusCode.OK, whatsApp.Status);
        Assert.Equal(HttpStatusCode.OK, telegram.Status);

        var listed = await tenant.Admin.GetAsync("/canales");

        Assert.Equal(HttpStatusCode.OK, listed.Status);
        var channels = listed.Json.AsArray();
        Assert.Equal(["telegram", "whatsapp"], channels.Select(c => c!["tipo"]!.GetValue<string>()));
        // Each item is what the PUT that configured it answered.
        Assert.True(JsonNode.DeepEquals(whatsApp.Json, channels.Single(c => c!["tipo"]!.GetValue<string>() == "whatsapp")), listed.Body);
        Assert.True(JsonNode.DeepEquals(telegram.Json, channels.Single(c => c!["tipo"]!.GetValue<string>() == "telegram")), listed.Body);
        var wa = channels.Single(c => c!["tipo"]!.GetValue<string>() == "whatsapp")!;
        Assert.Equal(LiveEventsStack.ChannelsPhoneNumberId, wa["id_externo"]!.GetValue<string>());
        Assert.Equal("/webhooks/whatsapp", wa["webhook_url"]!.GetValue<string>());
        var tg = channels.Single(c => c!["tipo"]!.GetValue<string>() == "telegram")!;
        Assert.Equal($"/webhooks/telegram/{tg["id"]!.GetValue<string>()}", tg["webhook_url"]!.GetValue<string>());
        Assert.All(channels, c => Assert.Equal(["actualizado_en", "id", "id_externo", "tipo", "webhook_url"], c!.AsObject().Select(p => p.Key).Order()));
        foreach (var secret in new[] { LiveEventsStack.AccessToken, LiveEventsStack.AppSecret, LiveEventsStack.VerifyToken, LiveEventsStack.BotToken, TelegramSecret })
        {
            Assert.DoesNotContain(secret, listed.Body, StringComparison.Ordinal);
        }

        // Another empresa sees none of them, and a seller may not list them.
        var other = await live.Anonymous.RegisterAsync();
        Assert.Empty((await other.Admin.GetAsync("/canales")).Json.AsArray());
        var (seller, _, _) = await live.Anonymous.AddUserAsync(tenant, "vendedor");
        (await seller.GetAsync("/canales")).AssertProblem(HttpStatusCode.Forbidden);
    }
}
