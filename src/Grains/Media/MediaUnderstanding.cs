#pragma warning disable MEAI001 // ISpeechToTextClient is marked experimental in Microsoft.Extensions.AI 10.x; it is the abstraction the issue asks for.
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AgenteVendedor.Media;

/// <summary>
/// Turns a voice note into words (any <see cref="ISpeechToTextClient"/>: OpenAI's transcription endpoint by default)
/// and a photo into a short Spanish description (a vision chat model, the image sent as a data URI). Either is absent
/// without an OpenAI key (see SiloSetup): then <see cref="CanListen"/> / <see cref="CanSee"/> are false and the
/// caller answers offline. A provider that fails gives null, never an exception into the turn.
/// </summary>
public sealed class MediaUnderstanding(ISpeechToTextClient? speech, IChatClient? vision, ILogger<MediaUnderstanding> logger)
{
    /// <summary>transcription is varchar(8000), description varchar(2000); a description is a few words anyway.</summary>
    public const int MaxTranscription = 8000;
    public const int MaxDescription = 300;

    private const string VisionPrompt = """
        Un cliente envió esta foto a una tienda. Di en español, en pocas palabras y sin signos de pregunta, qué producto
        muestra (por ejemplo: "martillo de uña con mango de madera"). Si no se ve ningún producto, responde solo: nada.
        """;

    public bool CanListen => speech is not null;

    public bool CanSee => vision is not null;

    public async Task<string?> TranscribeAsync(byte[] audio, CancellationToken cancellationToken)
    {
        if (speech is null)
        {
            return null;
        }

        try
        {
            using var stream = new MemoryStream(audio, writable: false);
            var response = await speech.GetTextAsync(stream, new SpeechToTextOptions { SpeechLanguage = "es" }, cancellationToken);
            return response.Text is { } text && !string.IsNullOrWhiteSpace(text) ? Text.TextFit.Cut(text.Trim(), MaxTranscription) : null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Transcribing a voice note failed: {Error}", e.Message);
            return null;
        }
    }

    public async Task<string?> DescribeAsync(byte[] image, string mime, CancellationToken cancellationToken)
    {
        if (vision is null)
        {
            return null;
        }

        try
        {
            var message = new ChatMessage(ChatRole.User, [new TextContent(VisionPrompt), new DataContent(image, mime)]);
            var response = await vision.GetResponseAsync([message], new ChatOptions { MaxOutputTokens = 60 }, cancellationToken);
            var text = response.Text?.Trim().Trim('.', '"', '¿', '?');
            return text is { Length: > 0 } && !text.Equals("nada", StringComparison.OrdinalIgnoreCase) ? Text.TextFit.Cut(text, MaxDescription) : null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Describing a photo failed: {Error}", e.Message);
            return null;
        }
    }
}
