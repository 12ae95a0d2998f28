using System.Globalization;
using System.Reflection;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using AgenteVendedor.Api.Contracts;
using AgenteVendedor.Api.Infrastructure;
using AgenteVendedor.Common;
using AgenteVendedor.Conversations;
using AgenteVendedor.Tenancy;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace AgenteVendedor.Api.Events;

/// <summary>
/// Writes one subscription as Server-Sent Events: <c>event: conversacion</c> with a conversation as
/// <c>GET /conversaciones</c> lists it, and a <c>: ping</c> comment on a quiet stream. The stream ends when
/// the client goes, the Api stops, the token expires, or its user is deactivated (checked at each ping).
/// </summary>
public sealed class ConversationEventStream(ConversationEventsSubscription subscription, ClaimsPrincipal user, TimeSpan heartbeat)
    : IResult, IEndpointMetadataProvider
{
    public const string ContentType = "text/event-stream";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using (subscription)
        {
            var services = httpContext.RequestServices;
            using var end = CancellationTokenSource.CreateLinkedTokenSource(
                httpContext.RequestAborted, services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
            if (ExpiresAt(user) is { } expires)
            {
                end.CancelAfter(Clamp(expires - DateTimeOffset.UtcNow));
            }

            var response = httpContext.Response;
            response.ContentType = ContentType;
            response.Headers.CacheControl = "no-cache";
            // Proxies such as nginx would otherwise hold events back to fill their buffers.
            response.Headers["X-Accel-Buffering"] = "no";
            httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            var grains = services.GetRequiredService<IClusterClient>();
            try
            {
                await WriteAsync(response, ": conectado\n\n", end.Token);
                await PumpAsync(response, json, grains, end.Token);
            }
            catch (OperationCanceledException) when (end.IsCancellationRequested)
            {
                // The client went away, the token expired or the Api is stopping: the stream simply ends.
            }
            catch (IOException)
            {
                // The connection broke while an event was being written.
            }
        }
    }

    private async Task PumpAsync(HttpResponse response, JsonSerializerOptions json, IClusterClient grains, CancellationToken end)
    {
        var events = subscription.Events;
        while (!end.IsCancellationRequested && !events.Completion.IsCompleted)
        {
            if (await WaitForEventAsync(events, end))
            {
                var text = new StringBuilder();
                while (events.TryRead(out var conversation))
                {
                    text.Append("event: conversacion\ndata: ")
                        .Append(JsonSerializer.Serialize(ConversacionResponse.From(conversation), json))
                        .Append("\n\n");
                }

                await WriteAsync(response, text.ToString(), end);
            }
            else
            {
                if (!await StillActiveAsync(grains))
                {
                    return;
                }

                await WriteAsync(response, ": ping\n\n", end);
            }
        }
    }

    // A deactivated user's token answers 401 on the next request; an open stream ends as soon. A cluster
    // that cannot answer for a moment does not end every stream: the next ping asks again.
    private async Task<bool> StillActiveAsync(IClusterClient grains)
    {
        try
        {
            return await grains.GetGrain<IEmpresaGrain>(user.EmpresaId()).FindUserAsync(user.UserId()) is { Active: true };
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or DatabaseUnavailableException)
        {
            return true;
        }
    }

    /// <summary>True when events wait to be written; false when the heartbeat is due first.</summary>
    private async Task<bool> WaitForEventAsync(ChannelReader<ConversationSummary> events, CancellationToken end)
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(end);
        quiet.CancelAfter(heartbeat);
        try
        {
            return await events.WaitToReadAsync(quiet.Token);
        }
        catch (OperationCanceledException) when (!end.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, Encoding.UTF8, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static DateTimeOffset? ExpiresAt(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue("exp"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    // CancelAfter takes at most about 24 days.
    private static TimeSpan Clamp(TimeSpan left) =>
        left < TimeSpan.Zero ? TimeSpan.Zero : left > TimeSpan.FromDays(24) ? TimeSpan.FromDays(24) : left;

    /// <summary>The OpenAPI document shows the stream as 200 text/event-stream whose events carry a conversation.</summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(ConversacionResponse), [ContentType]));
}
