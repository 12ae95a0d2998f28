using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using AgenteVendedor.Common;
using AgenteVendedor.Text;
using Microsoft.Extensions.Logging;

namespace AgenteVendedor.Notifications;

/// <summary>
/// Lists a WhatsApp Business Account's message templates from the Graph API
/// (<c>GET /{version}/{waba_id}/message_templates</c>, the channel's access token as bearer), following
/// <c>paging.next</c> for at most <see cref="MaxPages"/> pages, and only to the Graph API's own host: the token
/// never goes anywhere else. The client's base address is the Graph API URL with the version.
/// </summary>
public sealed partial class WhatsAppTemplateCatalog(HttpClient http, ILogger<WhatsAppTemplateCatalog> logger)
{
    public const int MaxPages = 10;
    private const int PageSize = 100;
    private const int MaxAnswerBytes = 1024 * 1024;

    public async Task<Outcome<IReadOnlyList<AccountTemplate>>> ListAsync(string wabaId, string accessToken, CancellationToken cancellationToken = default)
    {
        var templates = new List<AccountTemplate>();
        var next = new Uri(http.BaseAddress!, $"{wabaId}/message_templates?fields=name,language,status,category,components&limit={PageSize}");
        for (var page = 0; page < MaxPages && next is not null; page++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            TemplatePage? answer;
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                var body = await ReadAsync(response, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    var error = Parse(body, TemplateJson.Default.GraphErrorAnswer)?.Error;
                    logger.LogWarning("Graph API answered {Status} ({Code}) to a template list", (int)response.StatusCode, error?.Code);
                    return Failed(error?.Message is { Length: > 0 } message
                        ? $"Meta respondió {(int)response.StatusCode}: {TextFit.Cut(message, 300)}{(error.Code is { } code ? $" (código {code})" : "")}."
                        : $"Meta respondió {(int)response.StatusCode}.");
                }

                answer = Parse(body, TemplateJson.Default.TemplatePage);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                logger.LogWarning(e, "Graph API could not be reached for a template list");
                return Failed("La Graph API no responde.");
            }

            if (answer?.Data is null)
            {
                return Failed("Meta respondió algo que no es una lista de plantillas.");
            }

            templates.AddRange(answer.Data.Where(t => t.Name is { Length: > 0 } && t.Language is { Length: > 0 }).Select(t => new AccountTemplate(
                TextFit.Cut(t.Name!, 512), TextFit.Cut(t.Language!, 15), TextFit.Cut(t.Status ?? "", 40), TextFit.Cut(t.Category ?? "", 40),
                BodyParameters(t.Components))));
            next = answer.Paging?.Next is { } link && Uri.TryCreate(link, UriKind.Absolute, out var uri) && SameHost(uri) ? uri : null;
        }

        return templates;
    }

    /// <summary>The distinct {{n}} (or named {{x}}) of the template's BODY component.</summary>
    public static int BodyParameters(IReadOnlyList<TemplateComponent>? components) =>
        components?.FirstOrDefault(c => string.Equals(c.Type, "BODY", StringComparison.OrdinalIgnoreCase))?.Text is { } text
            ? Placeholder().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).Count()
            : 0;

    private bool SameHost(Uri uri) => Uri.Compare(uri, http.BaseAddress, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private static Problem Failed(string why) => new(ProblemKind.Unavailable,
        $"No se pudieron consultar las plantillas de WhatsApp en Meta. {why} Intenta de nuevo en unos minutos.", RetryAfterSeconds: 30);

    private static async Task<byte[]> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // At most the first megabyte: a page of 100 templates is far smaller, whatever the other end sends.
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length < MaxAnswerBytes && (read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static T? Parse<T>(byte[] json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")]
    private static partial Regex Placeholder();
}

/// <summary>A page of Meta's answer: <c>{"data": [...], "paging": {"cursors": {...}, "next": "..."}}</c>.</summary>
public sealed record TemplatePage(IReadOnlyList<GraphTemplate>? Data, TemplatePaging? Paging);

public sealed record TemplatePaging(string? Next);

public sealed record GraphTemplate(string? Name, string? Language, string? Status, string? Category, IReadOnlyList<TemplateComponent>? Components);

public sealed record TemplateComponent(string? Type, string? Text);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, MaxDepth = 16)]
[JsonSerializable(typeof(TemplatePage))]
[JsonSerializable(typeof(Channels.GraphErrorAnswer))]
internal sealed partial class TemplateJson : JsonSerializerContext;
