using System.Text.Json.Nodes;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

/// <summary>
/// With an OpenAI key, a photo sent without caption is described by the vision model (the fake OpenAI sees the image
/// itself) and the description is looked up in the catalog; the customer is answered with the shop's product.
/// </summary>
public sealed class PhotoDescriptionTests : IAsyncLifetime
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 0xFF, 0xD9];

    private FakeOpenAI _openAI = null!;
    private readonly MediaFixture _shop = new();

    public async Task InitializeAsync()
    {
        // The vision model names what it sees; nothing else is asked of it (the agent itself is the offline one).
        _openAI = await FakeOpenAI.StartAsync(_ => new FakeReply.Text("martillo de uña con mango de madera"));
        _shop.Settings["OpenAI__ApiKey"] = FakeOpenAI.DefaultApiKey;
        _shop.Settings["OpenAI__BaseUrl"] = _openAI.BaseUrl.ToString();
        _shop.Settings["Agent__DefaultDriver"] = "offline";
        await _shop.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _shop.DisposeAsync();
        await _openAI.DisposeAsync();
    }

    [Fact]
    public async Task A_photo_without_caption_is_described_and_the_shops_product_offered()
    {
        var customer = MediaFixture.NewCustomer();

        await _shop.DeliverAsync(customer, _shop.WhatsAppMedia(customer, "image", "image/jpeg", Jpeg));

        var reply = Assert.Single(await _shop.Platforms.WaitForAsync(customer, 1));
        Assert.Contains("Martillo", MediaFixture.TextOf(reply), StringComparison.Ordinal);
        await _shop.Records.WaitUntilAnsweredAsync(_shop.WhatsAppKey(customer), messages: 1);

        // The model got the photo's own bytes, as a data URI.
        var request = Assert.Single(_openAI.ChatRequests);
        var image = request["messages"]!.AsArray().SelectMany(m => m!["content"] as JsonArray ?? [])
            .Single(c => c!["type"]?.GetValue<string>() == "image_url")!;
        Assert.Equal("data:image/jpeg;base64," + Convert.ToBase64String(Jpeg), image["image_url"]!["url"]!.GetValue<string>());

        // Staff see the photo and what it was read as.
        var conversation = await _shop.WhatsAppConversationAsync(customer);
        var line = conversation["mensajes"]!.AsArray().First(m => m!["tipo"]?.GetValue<string>() == "imagen")!;
        Assert.Equal("martillo de uña con mango de madera", line["descripcion"]!.GetValue<string>());
        Assert.Equal("guardado", line["medios"]![0]!["estado"]!.GetValue<string>());
    }
}
