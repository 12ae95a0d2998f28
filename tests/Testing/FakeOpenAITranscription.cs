using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AgenteVendedor.Testing;

/// <summary>
/// OpenAI's transcription endpoint (<c>POST /v1/audio/transcriptions</c>, multipart/form-data with <c>file</c> and
/// <c>model</c>): answers <see cref="Transcription"/> as the API does for the asked response_format, and keeps what it received.
/// </summary>
public sealed partial class FakeOpenAI
{
    /// <summary>A transcription request as received: the model, the language asked, the file's name and bytes.</summary>
    public sealed record TranscriptionRequest(string Model, string? Language, string FileName, byte[] Audio);

    /// <summary>What every voice note "says".</summary>
    public string Transcription { get; set; } = "Hola, ¿tienen martillo?";

    public List<TranscriptionRequest> TranscriptionRequests { get; } = [];

    private async Task TranscriptionAsync(HttpContext http)
    {
        if (await RefuseUnauthorizedAsync(http))
        {
            return;
        }

        if (!http.Request.HasFormContentType)
        {
            await RefuseAsync(http, 400, "Invalid Content-Type header (application/json), expected multipart/form-data.", "invalid_request_error", null);
            return;
        }

        var form = await http.Request.ReadFormAsync();
        var model = form["model"].ToString();
        if (form.Files.GetFile("file") is not { Length: > 0 } file)
        {
            await RefuseAsync(http, 400, "Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']",
                "invalid_request_error", null, "file");
            return;
        }

        if (model.Length == 0)
        {
            await RefuseAsync(http, 400, "you must provide a model parameter", "invalid_request_error", null, "model");
            return;
        }

        using var audio = new MemoryStream();
        await file.CopyToAsync(audio);
        lock (TranscriptionRequests)
        {
            TranscriptionRequests.Add(new TranscriptionRequest(model, form["language"].FirstOrDefault(), file.FileName, audio.ToArray()));
        }

        var format = form["response_format"].FirstOrDefault() ?? "json";
        if (format is "text" or "srt" or "vtt")
        {
            http.Response.ContentType = "text/plain";
            await http.Response.WriteAsync(Transcription);
            return;
        }

        var answer = new JsonObject { ["text"] = Transcription };
        if (format == "verbose_json")
        {
            answer["task"] = "transcribe";
            answer["language"] = "spanish";
            answer["duration"] = 2.5;
            answer["segments"] = new JsonArray();
        }

        await http.Response.WriteAsJsonAsync(answer);
    }
}
