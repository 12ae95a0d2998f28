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
        Assert.Equal("imagen", line["tipo"]!.GetValue<string>());
        var media = Assert.Single(line["medios"]!.AsArray())!;
        Assert.Equal("imagen", media["tipo"]!.GetValue<string>());
        Assert.Equal("image/jpeg", media["tipo_mime"]!.GetValue<string>());
        Assert.Equal(Jpeg.Length, media["tamano"]!.GetValue<long>());
        Assert.Equal("guardado", media["estado"]!.GetValue<string>());
        using var file = await shop.Tenant.Admin.Http.GetAsync(media["url"]!.GetValue<string>());
        Assert.Equal(System.Net.HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("image/jpeg", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Jpeg, await file.Content.ReadAsByteArrayAsync());
        // The message was marked read, with the typing indicator, before the answer.
        Assert.Contains(shop.Platforms.ReadReceipts(), r => r["message_id"]!.GetValue<string>() == photo["id"]!.GetValue<string>()
            && r["typing_indicator"]?["type"]?.GetValue<string>() == "text");
        Assert.Empty(shop.Platforms.Refused);
    }

    [Fact]
    public async Task A_photo_without_caption_offline_is_stored_and_the_customer_asked_to_write_the_product_name()
    {
        var customer = MediaFixture.NewCustomer();

        await shop.DeliverAsync(customer, shop.WhatsAppMedia(customer, "image", "image/jpeg", Jpeg));

        var reply = Assert.Single(await shop.Platforms.WaitForAsync(customer, 1));
        Assert.Contains("Todavía no puedo ver imágenes", MediaFixture.TextOf(reply), StringComparison.Ordinal);
        Assert.Contains("nombre del producto", MediaFixture.TextOf(reply), StringComparison.Ordinal);
        await shop.Records.WaitUntilAnsweredAsync(shop.WhatsAppKey(customer), messages: 1);
        var conversation = await shop.WhatsAppConversationAsync(customer);
        // A photo is not a reason to call a person: the agent keeps the chat.
        Assert.Equal("agente", conversation["estado"]!.GetValue<string>());
        var line = conversation["mensajes"]!.AsArray().First(m => m!["tipo"]?.GetValue<string>() == "imagen")!;
        Assert.Equal("guardado", line["medios"]![0]!["estado"]!.GetValue<string>());
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
        var line = Assert.Single(CustomerLines(conversation));
        Assert.Equal("audio", line["tipo"]!.GetValue<string>());
        var media = Assert.Single(line["medios"]!.AsArray())!;
        Assert.Equal("audio/ogg; codecs=opus", media["tipo_mime"]!.GetValue<string>());
        using var file = await shop.Tenant.Admin.Http.GetAsync(media["url"]!.GetValue<string>());
        Assert.Equal(Ogg, await file.Content.ReadAsByteArrayAsync());

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
        var quietLines = CustomerLines(await shop.WhatsAppConversationAsync(quiet));
        Assert.Equal(["sticker", "reaccion"], quietLines.Select(l => l["tipo"]!.GetValue<string>()));
        Assert.Equal("image/webp", Assert.Single(quietLines[0]["medios"]!.AsArray())!["tipo_mime"]!.GetValue<string>());
        Assert.Empty(quietLines[1]["medios"]!.AsArray());

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
        Assert.Equal("documento", line["tipo"]!.GetValue<string>());
        var pdf = Assert.Single(line["medios"]!.AsArray())!;
        Assert.Equal("lista.pdf", pdf["nombre_archivo"]!.GetValue<string>());
        using var file = await shop.Tenant.Admin.Http.GetAsync(pdf["url"]!.GetValue<string>());
        Assert.Equal("application/pdf", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", file.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("%PDF-1.4 lista de precios"u8.ToArray(), await file.Content.ReadAsByteArrayAsync());
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
        Assert.Equal(["imagen", "audio"], CustomerLines(conversation).Select(l => l["tipo"]!.GetValue<string>()));
        var photoMedia = Assert.Single(CustomerLines(conversation)[0]["medios"]!.AsArray())!;
        using var file = await shop.Tenant.Admin.Http.GetAsync(photoMedia["url"]!.GetValue<string>());
        Assert.Equal(Jpeg, await file.Content.ReadAsByteArrayAsync());
        Assert.Contains(shop.Platforms.ChatActions, a => a["chat_id"]?.ToString() == recipient && a["action"]!.GetValue<string>() == "typing");
    }

    [Fact]
    public async Task A_file_is_served_to_every_staff_role_of_its_empresa_and_is_404_for_another_empresa()
    {
        var customer = MediaFixture.NewCustomer();
        await shop.DeliverAsync(customer, shop.WhatsAppMedia(customer, "image", "image/jpeg", Jpeg, new JsonObject { ["caption"] = "¿tienen brocha?" }));
        await shop.Records.WaitUntilAnsweredAsync(shop.WhatsAppKey(customer), messages: 1);
        var conversation = await shop.WhatsAppConversationAsync(customer);
        var conversationId = conversation["id"]!.GetValue<string>();
        var url = Assert.Single(CustomerLines(conversation)[0]["medios"]!.AsArray())!["url"]!.GetValue<string>();
        Assert.Equal($"/conversaciones/{conversationId}/medios/", url[..url.LastIndexOf('/')] + "/");

        var (observer, _, _) = await shop.Anonymous.AddUserAsync(shop.Tenant, "observador");
        var (seller, _, _) = await shop.Anonymous.AddUserAsync(shop.Tenant, "vendedor");
        foreach (var staff in new[] { observer, seller })
        {
            using var file = await staff.Http.GetAsync(url);
            Assert.Equal(System.Net.HttpStatusCode.OK, file.StatusCode);
            Assert.Equal(Jpeg, await file.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await shop.Anonymous.GetAsync(url)).Status);
        var other = await shop.Anonymous.RegisterAsync("Otra Ferretería");
        (await other.Admin.GetAsync(url)).AssertProblem(System.Net.HttpStatusCode.NotFound);
        (await other.Admin.GetAsync($"/conversaciones/{conversationId}")).AssertProblem(System.Net.HttpStatusCode.NotFound);
        // Its own conversation with someone else's media id, and an id that does not exist, are 404 alike.
        var mediaId = url[(url.LastIndexOf('/') + 1)..];
        var neighbour = MediaFixture.NewCustomer();
        await shop.DeliverAsync(neighbour, MediaFixture.WhatsAppMessage(neighbour, "text", new JsonObject { ["body"] = "hola" }));
        await shop.Records.WaitUntilAnsweredAsync(shop.WhatsAppKey(neighbour), messages: 1);
        var elsewhere = (await shop.WhatsAppConversationAsync(neighbour))["id"]!.GetValue<string>();
        (await shop.Tenant.Admin.GetAsync($"/conversaciones/{elsewhere}/medios/{mediaId}")).AssertProblem(System.Net.HttpStatusCode.NotFound);
        (await shop.Tenant.Admin.GetAsync($"/conversaciones/{conversationId}/medios/{Guid.NewGuid()}")).AssertProblem(System.Net.HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_photo_the_platform_does_not_serve_is_still_shown_with_why_and_its_caption_answered()
    {
        var customer = MediaFixture.NewCustomer();
        // A media id Meta does not know (expired, or from another account): the download fails, the message stays.
        var photo = MediaFixture.WhatsAppMessage(customer, "image", new JsonObject
        {
            ["mime_type"] = "image/jpeg", ["sha256"] = FakeMessaging.Sha256Of(Jpeg), ["id"] = "999000111222333", ["caption"] = "¿tienen martillo?",
        });

        await shop.DeliverAsync(customer, photo);

        var reply = Assert.Single(await shop.Platforms.WaitForAsync(customer, 1));
        Assert.Contains("Martillo", MediaFixture.TextOf(reply), StringComparison.Ordinal);
        await shop.Records.WaitUntilAnsweredAsync(shop.WhatsAppKey(customer), messages: 1);
        var line = Assert.Single(CustomerLines(await shop.WhatsAppConversationAsync(customer)));
        var media = Assert.Single(line["medios"]!.AsArray())!;
        Assert.Equal("fallido", media["estado"]!.GetValue<string>());
        Assert.Null(media["url"]);
        Assert.False(string.IsNullOrWhiteSpace(media["error"]?.GetValue<string>()));
    }
}
