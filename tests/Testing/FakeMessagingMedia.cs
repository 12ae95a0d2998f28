using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AgenteVendedor.Testing;

/// <summary>
/// The platforms' media endpoints. WhatsApp: <c>GET /{version}/{media-id}</c> with a registered access token answers
/// <c>{url, mime_type, sha256, file_size, id, messaging_product}</c> (401 without it), and that url gives the bytes only
/// with the same bearer. Telegram: <c>getFile</c> answers the <c>file_path</c>, and <c>/file/bot{token}/{file_path}</c>
/// gives the bytes. Read receipts and chat actions are kept apart from the answers (<see cref="ReadReceipts"/>,
/// <see cref="ChatActions"/>), so they never count as a reply.
/// </summary>
public sealed partial class FakeMessaging
{
    private readonly Dictionary<string, (string Mime, byte[] Bytes)> _media = [];
    private readonly Dictionary<string, (string Path, byte[] Bytes)> _telegramFiles = [];

    /// <summary>Media downloads the fake served (WhatsApp media id or Telegram file path), in order.</summary>
    public List<string> MediaServed { get; } = [];

    /// <summary>Telegram sendChatAction bodies (typing…): not replies.</summary>
    public List<JsonNode> ChatActions { get; } = [];

    /// <summary>WhatsApp read receipts (with or without typing indicator) the fake accepted: not replies.</summary>
    public List<JsonNode> ReadReceipts() => Snapshot().Where(s => s.Platform == "whatsapp" && s.Body["status"] is not null).Select(s => s.Body).ToList();

    /// <summary>A WhatsApp media id the fake serves to any registered access token, as Meta keeps a customer's upload.</summary>
    public void RegisterMedia(string mediaId, string mime, byte[] bytes)
    {
        lock (_media)
        {
            _media[mediaId] = (mime, bytes);
        }
    }

    /// <summary>A Telegram file_id getFile resolves, and the bytes its path serves.</summary>
    public void RegisterTelegramFile(string fileId, string filePath, byte[] bytes)
    {
        lock (_telegramFiles)
        {
            _telegramFiles[fileId] = (filePath, bytes);
        }
    }

    /// <summary>The hex sha256 Meta gives for a media file.</summary>
    public static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private void MapMedia(WebApplication app)
    {
        app.MapGet("/whatsapp_business/attachments/", (HttpContext http) => DownloadWhatsAppMedia(http));
        app.MapGet("/{bot}/getFile", (HttpContext http, string bot) => GetTelegramFile(http, bot));
        app.MapPost("/{bot}/getFile", (HttpContext http, string bot) => GetTelegramFile(http, bot));
        app.MapGet("/file/{bot}/{**path}", (string bot, string path) => DownloadTelegramFile(bot, path));
        app.MapPost("/{bot}/sendChatAction", (HttpContext http, string bot) => ChatActionAsync(http, bot));
    }

    private bool KnownAccessToken(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.FirstOrDefault();
        lock (_whatsAppTokens)
        {
            return header is not null && header.StartsWith("Bearer ", StringComparison.Ordinal) && _whatsAppTokens.ContainsValue(header["Bearer ".Length..]);
        }
    }

    /// <summary>The media's metadata when the id is one registered with <see cref="RegisterMedia"/>, else null (not a media id).</summary>
    private IResult? DescribeMedia(string mediaId, HttpContext http)
    {
        (string Mime, byte[] Bytes) media;
        lock (_media)
        {
            if (!_media.TryGetValue(mediaId, out media))
            {
                return null;
            }
        }

        if (!KnownAccessToken(http))
        {
            return Results.Text(MetaError(190, "Invalid OAuth access token - Cannot parse access token"), "application/json", statusCode: 401);
        }

        return Results.Json(new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["url"] = new Uri(BaseUrl, $"whatsapp_business/attachments/?mid={Uri.EscapeDataString(mediaId)}&ext={DateTimeOffset.UtcNow.ToUnixTimeSeconds()}").ToString(),
            ["mime_type"] = media.Mime,
            ["sha256"] = Sha256Of(media.Bytes),
            ["file_size"] = media.Bytes.Length,
            ["id"] = mediaId,
        });
    }

    private IResult DownloadWhatsAppMedia(HttpContext http)
    {
        var mediaId = http.Request.Query["mid"].ToString();
        (string Mime, byte[] Bytes) media;
        lock (_media)
        {
            if (!_media.TryGetValue(mediaId, out media))
            {
                return Results.NotFound();
            }
        }

        // Meta answers a download without the bearer with an HTML error page, not the file.
        if (!KnownAccessToken(http))
        {
            return Results.Text("<html><body>Unauthorized</body></html>", "text/html", statusCode: 401);
        }

        lock (MediaServed)
        {
            MediaServed.Add(mediaId);
        }

        return Results.Bytes(media.Bytes, media.Mime);
    }

    private bool KnownBot(string bot)
    {
        lock (_botTokens)
        {
            return bot.StartsWith("bot", StringComparison.Ordinal) && _botTokens.Contains(bot["bot".Length..]);
        }
    }

    private IResult GetTelegramFile(HttpContext http, string bot)
    {
        if (!KnownBot(bot))
        {
            return Results.Text(TelegramError(401, "Unauthorized"), "application/json", statusCode: 401);
        }

        var fileId = http.Request.Query["file_id"].ToString();
        (string Path, byte[] Bytes) file;
        lock (_telegramFiles)
        {
            if (!_telegramFiles.TryGetValue(fileId, out file))
            {
                return Results.Text(TelegramError(400, "Bad Request: invalid file_id"), "application/json", statusCode: 400);
            }
        }

        return Results.Json(new JsonObject
        {
            ["ok"] = true,
            ["result"] = new JsonObject { ["file_id"] = fileId, ["file_unique_id"] = "u" + fileId, ["file_size"] = file.Bytes.Length, ["file_path"] = file.Path },
        });
    }

    private IResult DownloadTelegramFile(string bot, string path)
    {
        if (!KnownBot(bot))
        {
            return Results.Text(TelegramError(401, "Unauthorized"), "application/json", statusCode: 401);
        }

        byte[]? bytes;
        lock (_telegramFiles)
        {
            bytes = _telegramFiles.Values.FirstOrDefault(f => f.Path == path).Bytes;
        }

        if (bytes is null)
        {
            return Results.Text(TelegramError(404, "Not Found"), "application/json", statusCode: 404);
        }

        lock (MediaServed)
        {
            MediaServed.Add(path);
        }

        return Results.Bytes(bytes, "application/octet-stream");
    }

    private async Task<IResult> ChatActionAsync(HttpContext http, string bot)
    {
        var (body, _) = await ReadAsync(http);
        if (!KnownBot(bot))
        {
            return Results.Text(TelegramError(401, "Unauthorized"), "application/json", statusCode: 401);
        }

        if (body?["chat_id"] is null || StringAt(body["action"]) is not ("typing" or "upload_photo" or "record_voice" or "upload_document"))
        {
            return Results.Text(TelegramError(400, "Bad Request: wrong parameter action in request"), "application/json", statusCode: 400);
        }

        lock (ChatActions)
        {
            ChatActions.Add(body);
        }

        return Results.Json(new JsonObject { ["ok"] = true, ["result"] = true });
    }
}
