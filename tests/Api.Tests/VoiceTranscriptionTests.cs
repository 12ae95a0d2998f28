using System.Text.Json.Nodes;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

/// <summary>With an OpenAI key, a voice note is transcribed by the fake OpenAI transcription endpoint and its words answered.</summary>
public sealed class VoiceTranscriptionTests : IAsyncLifetime
{
    private FakeOpenAI _openAI = null!;
    private readonly MediaFixture _shop = new();

    public async Task InitializeAsync()
    {
        _openAI = await FakeOpenAI.StartAsync();
        _openAI.Transcription = "Buenas, ¿tienen martillo?";
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
    public async Task A_voice_note_is_transcribed_and_its_words_answered_by_the_agent()
    {
        byte[] ogg = [(byte)'O', (byte)'g', (byte)'g', (byte)'S', 0, 2, 5, 5, 5, 5];
        var customer = MediaFixture.NewCustomer();
        var voice = _shop.WhatsAppMedia(customer, "audio", "audio/ogg; codecs=opus", ogg, new JsonObject { ["voice"] = true });

        await _shop.DeliverAsync(customer, voice);

        var reply = Assert.Single(await _shop.Platforms.WaitForAsync(customer, 1));
        Assert.Contains("Martillo", MediaFixture.TextOf(reply), StringComparison.Ordinal);
        await _shop.Records.WaitUntilAnsweredAsync(_shop.WhatsAppKey(customer), messages: 1);
        var request = Assert.Single(_openAI.TranscriptionRequests);
        Assert.Equal(ogg, request.Audio);
        Assert.Equal("whisper-1", request.Model);
        var conversation = await _shop.WhatsAppConversationAsync(customer);
        Assert.Equal("agente", conversation["estado"]!.GetValue<string>());
        Assert.Empty(_shop.Platforms.Refused);
    }
}
