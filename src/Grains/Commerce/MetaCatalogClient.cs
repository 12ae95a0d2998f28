using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AgenteVendedor.Common;
using AgenteVendedor.Text;
using Microsoft.Extensions.Logging;

namespace AgenteVendedor.Commerce;

/// <summary>
/// Meta's catalog batch endpoint: <c>POST /{version}/{catalog_id}/items_batch</c> with the WhatsApp access token as
/// bearer and <c>{item_type: "PRODUCT_ITEM", requests: [{method, data}]}</c>. Meta answers 200 with
/// <c>{handles[], validation_status[{retailer_id, errors[{message}]}]}</c>, or an <c>{error:{message,code}}</c>.
/// The client's base address is the Graph API URL with the version (set where it is registered).
/// </summary>
public sealed class MetaCatalogClient(HttpClient http, ILogger<MetaCatalogClient> logger)
{
    /// <summary>Items Meta refused in an accepted batch (retailer id → its first error), or why the whole batch failed.</summary>
    public sealed record BatchAnswer(IReadOnlyDictionary<string, string> Refused, Problem? Failure);

    public async Task<BatchAnswer> SendAsync(string catalogId, string accessToken, IReadOnlyList<JsonObject> requests, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject
        {
            ["allow_upsert"] = true,
            ["item_type"] = "PRODUCT_ITEM",
            ["requests"] = new JsonArray([.. requests]),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{catalogId}/items_batch")
        {
            Content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString())),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode && Parse(text, CatalogJson.Default.ItemsBatchAnswer) is { Handles: not null } answer)
            {
                var refused = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var status in answer.ValidationStatus ?? [])
                {
                    if (status is { RetailerId: { } sku, Errors: [{ Message: { Length: > 0 } message }, ..] })
                    {
                        refused.TryAdd(sku, TextFit.Cut(message, 300));
                    }
                }

                return new BatchAnswer(refused, null);
            }

            var error = Parse(text, CatalogJson.Default.CatalogErrorAnswer)?.Error;
            logger.LogWarning("Catalog batch for {Catalog} answered {Status} {Code}", catalogId, (int)response.StatusCode, error?.Code);
            var reason = error?.Message is { Length: > 0 } m
                ? $"{TextFit.Cut(m, 300)}{(error.Code is { } code ? $" (código {code.ToString(CultureInfo.InvariantCulture)})" : "")}"
                : $"HTTP {(int)response.StatusCode}";
            return Failed(response.StatusCode is HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500
                ? $"Meta no pudo recibir el catálogo en este momento ({reason}). Intenta de nuevo en unos minutos."
                : $"Meta rechazó el lote del catálogo {catalogId}: {reason}. Revisa el catalog_id y que el token tenga el permiso catalog_management.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            logger.LogWarning(e, "Catalog batch for {Catalog} could not be sent", catalogId);
            return Failed("No se pudo enviar el catálogo a Meta (la Graph API no responde). Intenta de nuevo en unos minutos.");
        }
    }

    private static BatchAnswer Failed(string message) =>
        new(new Dictionary<string, string>(), new Problem(ProblemKind.Unavailable, message, RetryAfterSeconds: 30));

    private static T? Parse<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
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
}

internal sealed record ItemsBatchAnswer(List<string>? Handles, List<ItemValidation?>? ValidationStatus);

internal sealed record ItemValidation(string? RetailerId, List<ItemMessage>? Errors);

internal sealed record ItemMessage(string? Message);

internal sealed record CatalogErrorAnswer(CatalogError? Error);

internal sealed record CatalogError(string? Message, long? Code);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, MaxDepth = 16)]
[JsonSerializable(typeof(ItemsBatchAnswer))]
[JsonSerializable(typeof(CatalogErrorAnswer))]
internal sealed partial class CatalogJson : JsonSerializerContext;
