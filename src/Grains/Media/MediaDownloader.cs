using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using AgenteVendedor.Channels;
using Microsoft.Extensions.Logging;

namespace AgenteVendedor.Media;

/// <summary>What a download gave: the bytes when they were kept, else why not (demasiado_grande, sha256_distinto, fallido).</summary>
public sealed record MediaDownload(string Status, string? Mime, byte[]? Content, string? Sha256, string? Error)
{
    public const string Stored = "guardado";
    public const string TooLarge = "demasiado_grande";
    public const string HashMismatch = "sha256_distinto";
    public const string Failed = "fallido";

    public static MediaDownload Refused(string status, string error) => new(status, null, null, null, error);
}

/// <summary>How long one whole download may take (Media:DownloadTimeoutSeconds).</summary>
public sealed record MediaOptions(TimeSpan DownloadTimeout);

/// <summary>
/// Downloads the file of an inbound message from its platform with the channel's own credentials:
/// WhatsApp's <c>GET /{version}/{media-id}</c> (bearer) → <c>{url, mime_type, sha256, file_size}</c>, then that url
/// with the same bearer; Telegram's <c>getFile</c> → <c>file_path</c>, then <c>/file/bot{token}/{file_path}</c>.
/// The size limit of the kind is checked against what the platform declares and again on every chunk
/// received (a platform that under-declares is cut off at the limit); the sha256 Meta gives (hex or base64)
/// must match the bytes. The HttpClient carries the standard resilience handler (SiloSetup), so 5xx, 408,
/// 429 and timeouts are retried a bounded number of times; a download never throws into the turn.
/// </summary>
public sealed class MediaDownloader(HttpClient http, SenderOptions platforms, MediaOptions options, SecretBox secrets, ILogger<MediaDownloader> logger)
{
    public async Task<MediaDownload> DownloadAsync(ChannelRecord channel, string kind, MediaSource source, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.DownloadTimeout);
        try
        {
            return channel.Kind switch
            {
                ChannelKinds.WhatsApp => await FromWhatsAppAsync(secrets.Open<WhatsAppSecrets>(channel.Secrets).AccessToken, kind, source, timeout.Token),
                ChannelKinds.Telegram => await FromTelegramAsync(secrets.Open<TelegramSecrets>(channel.Secrets).BotToken, kind, source, timeout.Token),
                _ => MediaDownload.Refused(MediaDownload.Failed, "Canal sin archivos."),
            };
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or TimeoutException or JsonException or SecretUnreadableException
            or Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException)
        {
            logger.LogWarning("Media download for channel {ChannelId} failed: {Error}", channel.Id, e.Message);
            return MediaDownload.Refused(MediaDownload.Failed, Cut($"No se pudo descargar: {e.Message}"));
        }
    }

    private async Task<MediaDownload> FromWhatsAppAsync(string token, string kind, MediaSource source, CancellationToken cancellationToken)
    {
        var metadataUrl = new Uri(platforms.GraphApiUrl, $"{platforms.GraphApiVersion}/{Uri.EscapeDataString(source.PlatformId)}");
        using var metadata = await GetAsync(metadataUrl, token, cancellationToken);
        if (!metadata.IsSuccessStatusCode)
        {
            return await RefusedAsync(metadata, cancellationToken);
        }

        var described = await JsonSerializer.DeserializeAsync(await metadata.Content.ReadAsStreamAsync(cancellationToken), MediaJson.Default.WaMediaUrl, cancellationToken);
        if (described is not { Url: { } url } || !Uri.TryCreate(url, UriKind.Absolute, out var fileUrl) || fileUrl.Scheme is not ("https" or "http"))
        {
            return MediaDownload.Refused(MediaDownload.Failed, "La plataforma no dio una URL de descarga.");
        }

        return await FetchAsync(fileUrl, token, kind, described.FileSize, described.MimeType ?? source.Mime, described.Sha256 ?? source.Sha256, cancellationToken);
    }

    private async Task<MediaDownload> FromTelegramAsync(string token, string kind, MediaSource source, CancellationToken cancellationToken)
    {
        // "./": a token holds a colon, which would otherwise read as a URI scheme.
        var lookup = new Uri(platforms.TelegramApiUrl, $"./bot{token}/getFile?file_id={Uri.EscapeDataString(source.PlatformId)}");
        using var found = await GetAsync(lookup, null, cancellationToken);
        if (!found.IsSuccessStatusCode)
        {
            return await RefusedAsync(found, cancellationToken);
        }

        var file = await JsonSerializer.DeserializeAsync(await found.Content.ReadAsStreamAsync(cancellationToken), MediaJson.Default.TgGetFile, cancellationToken);
        if (file is not { Ok: true, Result.FilePath: { Length: > 0 and <= 500 } path } || path.Contains("..", StringComparison.Ordinal))
        {
            return MediaDownload.Refused(MediaDownload.Failed, "Telegram no dio la ruta del archivo.");
        }

        var url = new Uri(platforms.TelegramApiUrl, $"./file/bot{token}/{path}");
        return await FetchAsync(url, null, kind, file.Result.FileSize ?? source.DeclaredBytes, source.Mime, null, cancellationToken);
    }

    private async Task<MediaDownload> FetchAsync(Uri url, string? bearer, string kind, long? declared, string? mime, string? sha256, CancellationToken cancellationToken)
    {
        var limit = MediaLimits.MaxBytes(kind);
        if (declared > limit)
        {
            return MediaDownload.Refused(MediaDownload.TooLarge, $"El archivo declara {declared} bytes; el límite de {kind} es {limit}.");
        }

        using var response = await GetAsync(url, bearer, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return await RefusedAsync(response, cancellationToken);
        }

        if (response.Content.Headers.ContentLength > limit)
        {
            return MediaDownload.Refused(MediaDownload.TooLarge, $"El archivo trae {response.Content.Headers.ContentLength} bytes; el límite de {kind} es {limit}.");
        }

        // Read at most one byte past the limit: whatever the headers said, a larger body is cut off there.
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream(response.Content.Headers.ContentLength is { } length ? (int)length : 64 * 1024);
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return MediaDownload.Refused(MediaDownload.TooLarge, $"El archivo pasa del límite de {kind} ({limit} bytes).");
            }

            buffer.Write(chunk, 0, read);
        }

        var content = buffer.ToArray();
        var hash = SHA256.HashData(content);
        var hex = Convert.ToHexStringLower(hash);
        if (sha256 is { Length: > 0 } expected && !string.Equals(expected, hex, StringComparison.OrdinalIgnoreCase) && expected != Convert.ToBase64String(hash))
        {
            return MediaDownload.Refused(MediaDownload.HashMismatch, "Los bytes recibidos no coinciden con el sha256 que dio la plataforma.");
        }

        var type = mime ?? response.Content.Headers.ContentType?.MediaType;
        return new MediaDownload(MediaDownload.Stored, type is { Length: > 0 and <= 100 } ? type : "application/octet-stream", content, hex, null);
    }

    private async Task<HttpResponseMessage> GetAsync(Uri url, string? bearer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private async Task<MediaDownload> RefusedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        logger.LogWarning("Media download refused by {Host}: {Status}", response.RequestMessage?.RequestUri?.Host, (int)response.StatusCode);
        return MediaDownload.Refused(MediaDownload.Failed, Cut($"La plataforma respondió {(int)response.StatusCode}: {text}"));
    }

    private static string Cut(string text) => Text.TextFit.Cut(text, 1000);
}
