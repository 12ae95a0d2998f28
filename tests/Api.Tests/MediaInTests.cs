using System.Globalization;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

/// <summary>
/// What customers send besides text, through signed webhooks: each message is stored with its file (downloaded
/// from the fake Graph API or Bot API with the channel's credentials) and answered or not by its kind. No OpenAI
/// key here: a voice note gets the kind notice and waits for a person.
/// </summary>
public sealed class MediaInTests(MediaFixture shop) : IClassFixture<MediaFixture>
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 1, 2, 3];
    private static readonly byte[] Ogg = [(byte)'O', (byte)'g', (byte)'g', (byte)'S', 0, 2, 7, 7, 7];

    private static List<JsonNode> CustomerLines(JsonNode conversation) =>
        conversation["mensajes"]!.AsArray().Where(m => m!["rol"]!.GetValue<string>() == "cliente").Select(m => m!).ToList();

    [Fact]
    public async Task A_photo_with_a_caption_is_stored_and_its_caption_answered_as_text()
    {
        var customer = MediaFixture.NewCustomer();
        var photo = shop.WhatsAppMedia(customer, "image", "image/jpeg", Jpeg, new JsonObject { ["caption"] = "¿tienen martillo?" });
        var mediaId = photo["image"]!["id"]!.GetValue<string>();

        await shop.DeliverAsync(customer, photo);

        var reply = Assert.Single(await shop.Platforms.WaitForAsync(customer, 1));
        Assert.Contains("Martillo", MediaFixture.TextOf(reply), StringComparison.Ordinal);
        await shop.Records.WaitUntilAnsweredAsync(shop.WhatsAppKey(customer), messages: 1);
        Assert.Contains(mediaId, shop.Platforms.MediaServed);
        var line = Assert.Single(CustomerLines(await shop.WhatsAppConversationAsync(customer)));
        Assert.Equal("¿tienen martillo?", line["texto"]!.GetValue<string>());
        // The message was marked read, with the typing indicator, before the answer.
        Assert.Contains(shop.Platforms.ReadReceipts(), r => r["message_id"]!.GetValue<string>() == photo["id"]!.GetValue<string>()
            && r["typing_indicator"]?["type"]?.GetValue<string>() == "text");
        Assert.Empty(shop.Platforms.Refused);
    }

    [Fact]
    public async Task A_voice_note_offline_is_stored_and_the_customer_asked_kindly_to_write_while_a_person_is_called()
    {
        var customer = MediaFixture.NewCustomer();
        var voice = shop.WhatsAppMedia(customer, "audio", "audio/ogg; codecs=opus", Ogg, new JsonObject { ["voice"] = true });

        await shop.DeliverAsync(customer, voice);

        var reply = Assert.Single(await shop.Platforms.WaitForAsync(customer, 1));
        var text = MediaFixture.TextOf(reply);
        Assert.Contains("no puedo escuchar audios", text, StringComparison.Ordinal);
        Assert.Contains("escribes", text, StringComparison.Ordinal);
        await shop.Records.WaitUntilAnsweredAsync(shop.WhatsAppKey(customer), messages: 1);
        Assert.Contains(voice["audio"]!["id"]!.GetValue<string>(), shop.Platforms.MediaServed);
        var conversation = await shop.WhatsAppConversationAsync(customer);
        Assert.Equal("humano", conversation["estado"]!.GetValue<string>());
        Assert.Single(CustomerLines(conversation));

        // While it waits for a person, the agent says nothing more.
        await shop.DeliverAsync(customer, MediaFixture.WhatsAppMessage(customer, "text", new JsonObject { ["body"] = "¿tienen martillo?" }));
        await shop.Records.WaitUntilAnsweredAsync(shop.WhatsAppKey(customer), messages: 2);
        Assert.Single(shop.Platforms.To(customer));
    }

    [Fact]
    public async Task A_document_is_stored_and_acknowledged_and_a_sticker_and_a_reaction_are_stored_without_reply()
    {
        var quiet = MediaFixture.NewCustomer();
        var sticker = shop.WhatsAppMedia(quiet, "sticker", "image/webp", [(byte)'R', (byte)'I', (byte)'F', (byte)'F', 9, 9], new JsonObject { ["animated"] = false });
        await shop.DeliverAsync(quiet, sticker);
        await shop.Records.WaitUntilAnsweredAsync(shop.WhatsAppKey(quiet), messages: 1);
        await shop.DeliverAsync(quiet, MediaFixture.WhatsAppMessage(quiet, "reaction",
            new JsonObject { ["message_id"] = $"wamid.{Guid.NewGuid():N}", ["emoji"] = "👍" }));
        await shop.Records.WaitUntilAnsweredAsync(shop.WhatsAppKey(quiet), messages: 2);

        Assert.Empty(shop.Platforms.To(quiet));
        Assert.Contains(sticker["sticker"]!["id"]!.GetValue<string>(), shop.Platforms.MediaServed);
        Assert.Equal(2, CustomerLines(await shop.WhatsAppConversationAsync(quiet)).Count);

        var customer = MediaFixture.NewCustomer();
        var document = shop.WhatsAppMedia(customer, "document", "application/pdf", "%PDF-1.4 lista de precios"u8.ToArray(),
            new JsonObject { ["filename"] = "lista.pdf" });
        await shop.DeliverAsync(customer, document);

        var reply = Assert.Single(await shop.Platforms.WaitForAsync(customer, 1));
        Assert.Contains("Recibí tu archivo", MediaFixture.TextOf(reply), StringComparison.Ordinal);
        await shop.Records.WaitUntilAnsweredAsync(shop.WhatsAppKey(customer), messages: 1);
        Assert.Contains(document["document"]!["id"]!.GetValue<string>(), shop.Platforms.MediaServed);
        var line = Assert.Single(CustomerLines(await shop.WhatsAppConversationAsync(customer)));
        Assert.Contains("lista.pdf", line["texto"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_telegram_photo_with_a_caption_and_a_voice_message_are_downloaded_and_answered()
    {
        var chat = Random.Shared.NextInt64(1_000_000, 9_999_999);
        var recipient = chat.ToString(CultureInfo.InvariantCulture);
        shop.Platforms.RegisterTelegramFile($"AgAC-small-{chat}", $"photos/small_{chat}.jpg", [1, 2]);
        shop.Platforms.RegisterTelegramFile($"AgAC-large-{chat}", $"photos/large_{chat}.jpg", Jpeg);
        await shop.DeliverTelegramAsync(chat, new JsonObject
        {
            ["photo"] = new JsonArray(
                new JsonObject { ["file_id"] = $"AgAC-small-{chat}", ["file_unique_id"] = "s1", ["file_size"] = 2, ["width"] = 90, ["height"] = 90 },
                new JsonObject { ["file_id"] = $"AgAC-large-{chat}", ["file_unique_id"] = "l1", ["file_size"] = Jpeg.Length, ["width"] = 800, ["height"] = 800 }),
            ["caption"] = "¿tienen martillo?",
        });

        var reply = Assert.Single(await shop.Platforms.WaitForAsync(recipient, 1));
        Assert.Contains("Martillo", MediaFixture.TextOf(reply), StringComparison.Ordinal);
        await shop.Records.WaitUntilAnsweredAsync(shop.TelegramKey(chat), messages: 1);
        // The largest size is the one kept.
        Assert.Contains($"photos/large_{chat}.jpg", shop.Platforms.MediaServed);
        Assert.DoesNotContain($"photos/small_{chat}.jpg", shop.Platforms.MediaServed);

        shop.Platforms.RegisterTelegramFile($"AwAC-voice-{chat}", $"voice/file_{chat}.oga", Ogg);
        await shop.DeliverTelegramAsync(chat, new JsonObject
        {
            ["voice"] = new JsonObject { ["file_id"] = $"AwAC-voice-{chat}", ["file_unique_id"] = "v1", ["duration"] = 3, ["mime_type"] = "audio/ogg", ["file_size"] = Ogg.Length },
        });

        var replies = await shop.Platforms.WaitForAsync(recipient, 2);
        Assert.Equal(2, replies.Count);
        Assert.Contains("no puedo escuchar audios", MediaFixture.TextOf(replies[1]), StringComparison.Ordinal);
        await shop.Records.WaitUntilAnsweredAsync(shop.TelegramKey(chat), messages: 2);
        Assert.Contains($"voice/file_{chat}.oga", shop.Platforms.MediaServed);
        var conversation = await shop.ConversationAsync("telegram", c => c["cliente"]!["nombre"]?.GetValue<string>() == $"Cliente {chat}");
        Assert.Equal(2, CustomerLines(conversation).Count);
        Assert.Contains(shop.Platforms.ChatActions, a => a["chat_id"]?.ToString() == recipient && a["action"]!.GetValue<string>() == "typing");
    }
}
