using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using AgenteVendedor.Common;
using AgenteVendedor.Text;
using Microsoft.Extensions.Logging;

namespace AgenteVendedor.Channels;

/// <summary>
/// Asks Meta's Graph API whether an access token really manages a WhatsApp phone number
/// (<c>GET /{version}/{phone_number_id}</c> with the token as bearer) before an empresa may claim it.
/// The client's base address is the Graph API URL with the version (set where it is registered).
/// </summary>
public sealed class WhatsAppNumberCheck(HttpClient http, ILogger<WhatsAppNumberCheck> logger)
{
    private const int MaxAnswerBytes = 64 * 1024;

    /// <summary>Null when Meta confirms the number for that token; otherwise why not (422), or that Meta could not be asked (503).</summary>
    public async Task<Problem?> CheckAsync(string phoneNumberId, string accessToken, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{phoneNumberId}?fields=id,display_phone_number,verified_name");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var answer = await ReadAsync(response, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var number = Parse(answer, GraphJson.Default.GraphPhoneNumber);
                if (number?.Id is null)
                {
                    logger.LogWarning("Graph API answered {Status} without a phone number id", (int)response.StatusCode);
                    return Unreachable();
                }

                return number.Id == phoneNumberId
                    ? null
                    : Refused($"Meta respondió por otro número ({Cut(number.Id, 40)}), no por el phone_number_id {phoneNumberId}.");
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
            {
                logger.LogWarning("Graph API answered {Status} to a phone number check", (int)response.StatusCode);
                return Unreachable();
            }

            var error = Parse(answer, GraphJson.Default.GraphErrorAnswer)?.Error;
            var reason = error?.Message is { Length: > 0 } message
                ? $"{Cut(message, 300)}{(error.Code is { } code ? $" (código {code.ToString(CultureInfo.InvariantCulture)})" : "")}"
                : $"HTTP {(int)response.StatusCode}";
            return Refused($"Meta no reconoce el phone_number_id {phoneNumberId} con ese access_token: {reason}. " +
                "Revisa que el token sea de la app de Meta que administra ese número y que tenga el permiso whatsapp_business_management.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            logger.LogWarning(e, "Graph API could not be reached for a phone number check");
            return Unreachable();
        }
    }

    private static Problem Refused(string detail) => new(ProblemKind.Validation, detail);

    private static Problem Unreachable() =>
        new(ProblemKind.Unavailable, "No se pudo confirmar el número con Meta (la Graph API no responde). Intenta de nuevo en unos minutos.", RetryAfterSeconds: 30);

    private static async Task<byte[]> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Only the first bytes are read: an answer of ours is small, whatever the other end sends.
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxAnswerBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return buffer[..total];
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

    private static string Cut(string text, int max) => TextFit.Cut(text, max);
}

/// <summary>What Meta answers for a phone number (only the fields we read).</summary>
public sealed record GraphPhoneNumber(string? Id, string? DisplayPhoneNumber, string? VerifiedName);

/// <summary>Meta's error answer: <c>{"error":{"message","type","code"}}</c>.</summary>
public sealed record GraphErrorAnswer(GraphError? Error);

public sealed record GraphError(string? Message, string? Type, long? Code);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, MaxDepth = 16)]
[JsonSerializable(typeof(GraphPhoneNumber))]
[JsonSerializable(typeof(GraphErrorAnswer))]
internal sealed partial class GraphJson : JsonSerializerContext;
