using System.Globalization;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgenteVendedor.Panel.Tests;

/// <summary>What a customer sent besides text shows in the inbox transcript: a photo's thumbnail, a voice note's player, a file's link.</summary>
[Collection(PanelCollection.Name)]
public sealed class InboxMediaTests(PanelFixture fixture)
{
    private const string PhoneNumberId = "109876543277";
    private const string AccessToken = "EAAG-panel-medios";

    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private JsonObject Media(string customer, string type, string mime, byte[] bytes, JsonObject extra)
    {
        var mediaId = Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString(CultureInfo.InvariantCulture);
        fixture.Platforms.RegisterMedia(mediaId, mime, bytes);
        extra["id"] = mediaId;
        extra["mime_type"] = mime;
        extra["sha256"] = FakeMessaging.Sha256Of(bytes);
        return new JsonObject
        {
            ["from"] = customer, ["id"] = $"wamid.{Guid.NewGuid():N}",
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ["type"] = type, [type] = extra,
        };
    }

    [Fact]
    public async Task A_photo_a_voice_note_and_a_document_show_as_a_thumbnail_a_player_and_a_link()
    {
        fixture.Platforms.RegisterWhatsApp(PhoneNumberId, AccessToken);
        using var api = fixture.Api();
        var email = ApiCalls.NewEmail("medios");
        var token = await api.RegisterAsync("Ferretería Fotográfica", email);
        var (status, body) = await api.SendAsync(token, HttpMethod.Put, "/canales/whatsapp", new
        {
            phone_number_id = PhoneNumberId, access_token = AccessToken, app_secret = PanelFixture.AppSecret, verify_token = "verificar-medios-1",
        });
        Assert.True(status == 200, body?.ToJsonString());
        var customer = "57302" + Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);
        foreach (var message in new[]
        {
            Media(customer, "image", "image/png", Png, new JsonObject { ["caption"] = "¿tienen esta llave?" }),
            Media(customer, "audio", "audio/ogg", [(byte)'O', (byte)'g', (byte)'g', (byte)'S', 1], new JsonObject { ["voice"] = true }),
            Media(customer, "document", "application/pdf", "%PDF-1.4 cotizacion"u8.ToArray(), new JsonObject { ["filename"] = "cotizacion.pdf" }),
        })
        {
            Assert.True((await api.DeliverWhatsAppAsync(MetaWebhook.Message(PhoneNumberId, customer, message))).IsSuccessStatusCode);
        }

        var page = await fixture.NewPageAsync();
        await Pages.OnFailureAsync(page, "bandeja-medios", async () =>
        {
            await Pages.SignInAsync(page, email);
            await Pages.OpenAsync(page, "Conversaciones");
            await page.Locator(".inbox-row").Filter(new() { HasText = "Cliente Prueba" }).ClickAsync(new() { Timeout = 20_000 });
            var open = page.GetByLabel("Conversación abierta");
            var photo = open.GetByRole(AriaRole.Img, new() { Name = "Foto del cliente" });
            await Expect(photo).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await Expect(open.GetByLabel("Nota de voz del cliente")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
            await Expect(open.GetByRole(AriaRole.Link, new() { Name = "cotizacion.pdf" })).ToBeVisibleAsync(new() { Timeout = 20_000 });

            // The thumbnail really loaded: the browser decoded the PNG the customer sent, through the panel's proxy.
            await Expect(photo).ToHaveJSPropertyAsync("naturalWidth", 1);
            var src = await photo.GetAttributeAsync("src");
            var served = await page.APIRequest.GetAsync(src!);
            Assert.Equal(200, served.Status);
            Assert.Equal(Png, await served.BodyAsync());
        });
    }
}
