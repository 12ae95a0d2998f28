using System.Text.Json;
using System.Text.Json.Serialization;
using AgenteVendedor.Channels;

namespace AgenteVendedor.Media;

/// <summary>
/// The file a message carries, as its platform described it in the webhook: the id to download it by
/// (WhatsApp's media id, Telegram's file_id), and what the sender's app said of it. Read from the inbox
/// row's payload; nothing here is trusted for the download's checks except as a first bound.
/// </summary>
public sealed record MediaSource(string PlatformId, string? Mime, string? Sha256, string? FileName, string? Caption, bool Voice, long? DeclaredBytes)
{
    /// <summary>The kinds whose messages carry a file.</summary>
    public static bool HasFile(string kind) => kind is MessageKinds.Image or MessageKinds.Audio or MessageKinds.Video
        or MessageKinds.Document or MessageKinds.Sticker;

    /// <summary>The file of an inbox row of this kind, or null when it has none or the payload is not the platform's shape.</summary>
    public static MediaSource? From(string channel, string kind, string? payload)
    {
        if (!HasFile(kind) || payload is null)
        {
            return null;
        }

        try
        {
            if (channel == ChannelKinds.WhatsApp && JsonSerializer.Deserialize(payload, MediaJson.Default.WaMediaPayload) is { Id: { Length: > 0 and <= 300 } id } wa)
            {
                return new MediaSource(id, Short(wa.MimeType, 100), Short(wa.Sha256, 100), Short(wa.Filename, 240), wa.Caption, wa.Voice == true, null);
            }

            if (channel == ChannelKinds.Telegram && JsonSerializer.Deserialize(payload, MediaJson.Default.TgFilePayload) is { FileId: { Length: > 0 and <= 300 } fileId } tg)
            {
                return new MediaSource(fileId, Short(tg.MimeType, 100), null, Short(tg.FileName, 240), null, false, tg.FileSize);
            }
        }
        catch (JsonException)
        {
            // A payload of another shape carries no file we can fetch; the message is still shown.
        }

        return null;
    }

    private static string? Short(string? text, int max) => text is { Length: > 0 } && text.Length <= max ? text : null;
}

/// <summary>Meta's limits per kind (image 5 MB, audio and video 16 MB, document 100 MB, sticker 500 KB), enforced on the bytes received.</summary>
public static class MediaLimits
{
    public static long MaxBytes(string kind) => kind switch
    {
        MessageKinds.Image => 5L * 1024 * 1024,
        MessageKinds.Audio or MessageKinds.Video => 16L * 1024 * 1024,
        MessageKinds.Document => 100L * 1024 * 1024,
        MessageKinds.Sticker => 500L * 1024,
        _ => 0,
    };
}

internal sealed record WaMediaPayload(string? Id, string? MimeType, string? Sha256, string? Caption, string? Filename, bool? Voice);

internal sealed record TgFilePayload(string? FileId, long? FileSize, string? MimeType, string? FileName);

internal sealed record WaMediaUrl(string? Url, string? MimeType, string? Sha256, long? FileSize);

internal sealed record TgGetFile(bool Ok, TgFileResult? Result);

internal sealed record TgFileResult(string? FilePath, long? FileSize);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, MaxDepth = PlatformPayload.MaxDepth,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(WaMediaPayload))]
[JsonSerializable(typeof(TgFilePayload))]
[JsonSerializable(typeof(WaMediaUrl))]
[JsonSerializable(typeof(TgGetFile))]
internal sealed partial class MediaJson : JsonSerializerContext;
