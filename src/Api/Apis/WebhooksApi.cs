using AgenteVendedor.Api.Infrastructure;
using AgenteVendedor.Channels;
using Microsoft.AspNetCore.Mvc;

namespace AgenteVendedor.Api.Apis;

/// <summary>The platforms' webhooks: anonymous, authenticated by signature or secret token, answered at once.</summary>
public static class WebhooksApi
{
    private const int MaxBodyBytes = 1024 * 1024;

    public static RouteGroupBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/webhooks").WithTags("Webhooks").AllowAnonymous().RequireRateLimiting(RateLimits.Webhooks);
        group.MapGet("/whatsapp", Verify).WithName("VerificarWebhookWhatsApp")
            .WithSummary("Verificación de Meta: devuelve hub.challenge si hub.verify_token es el de alguna empresa.");
        group.MapPost("/whatsapp", WhatsApp).WithName("WebhookWhatsApp")
            .WithSummary("Mensajes y estados de WhatsApp Cloud API, firmados con X-Hub-Signature-256.")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));
        group.MapPost("/telegram/{canalId:guid}", Telegram).WithName("WebhookTelegram")
            .WithSummary("Updates del Bot API de Telegram, con X-Telegram-Bot-Api-Secret-Token.")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));
        return group;
    }

    public static async Task<IResult> Verify(
        [FromQuery(Name = "hub.mode")] string? mode, [FromQuery(Name = "hub.verify_token")] string? token,
        [FromQuery(Name = "hub.challenge")] string? challenge, IClusterClient grains) =>
        await grains.GetGrain<IWebhookGrain>(0).VerifyWhatsAppAsync(mode, token, challenge) is { } echoed
            ? TypedResults.Text(echoed, "text/plain")
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: Problems.TitleFor(403),
                detail: "El token de verificación no corresponde a ninguna empresa.");

    public static async Task<IResult> WhatsApp(HttpRequest request, IClusterClient grains)
    {
        var body = await ReadAsync(request);
        var result = await grains.GetGrain<IWebhookGrain>(0).AcceptWhatsAppAsync(body, request.Headers["X-Hub-Signature-256"].FirstOrDefault());
        return Answer(result, request.HttpContext);
    }

    public static async Task<IResult> Telegram(Guid canalId, HttpRequest request, IClusterClient grains)
    {
        var body = await ReadAsync(request);
        var result = await grains.GetGrain<IWebhookGrain>(0)
            .AcceptTelegramAsync(canalId, body, request.Headers["X-Telegram-Bot-Api-Secret-Token"].FirstOrDefault());
        return Answer(result, request.HttpContext);
    }

    private static async Task<byte[]> ReadAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        return buffer.ToArray();
    }

    private static IResult Answer(WebhookResult result, HttpContext http)
    {
        switch (result)
        {
            case WebhookResult.Accepted:
                return TypedResults.Ok();
            case WebhookResult.Unauthorized:
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: Problems.TitleFor(401),
                    detail: "La firma o el token secreto no corresponden al canal.");
            case WebhookResult.UnknownChannel:
                return Problems.NotFound("No existe ese canal.");
            case WebhookResult.Unavailable:
                // Our side (a key missing from the configuration): the platform retries later and nothing is lost.
                http.Response.Headers.RetryAfter = "60";
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: Problems.TitleFor(503),
                    detail: "El canal no puede recibir mensajes en este momento; reintenta más tarde.");
            default:
                return Problems.BadRequest("El cuerpo no es un evento válido de la plataforma.");
        }
    }
}
