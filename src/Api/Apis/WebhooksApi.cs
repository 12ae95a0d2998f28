using AgenteVendedor.Api.Infrastructure;
using AgenteVendedor.Channels;
using Microsoft.AspNetCore.Http.HttpResults;
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
            .WithSummary("Verificación de Meta: devuelve hub.challenge si hub.verify_token es el de alguna empresa.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status403Forbidden, "El token de verificación no corresponde a ninguna empresa.");
        group.MapPost("/whatsapp", WhatsApp).WithName("WebhookWhatsApp")
            .WithSummary("Mensajes y estados de WhatsApp Cloud API, firmados con X-Hub-Signature-256.")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status400BadRequest, "El cuerpo no es un evento de WhatsApp Cloud API.")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status401Unauthorized,
                "Falta X-Hub-Signature-256 o no es la firma del cuerpo con el app_secret, o el phone_number_id no está conectado; no se guardó nada.")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status503ServiceUnavailable,
                "Los secretos del canal no se pueden abrir ahora (falta su clave en la configuración) o el servicio no está disponible: la plataforma reintenta.")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));
        group.MapPost("/telegram/{canalId:guid}", Telegram).WithName("WebhookTelegram")
            .WithSummary("Updates del Bot API de Telegram, con X-Telegram-Bot-Api-Secret-Token.")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status400BadRequest, "El cuerpo no es un update del Bot API de Telegram.")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status401Unauthorized, "X-Telegram-Bot-Api-Secret-Token no es el del canal; no se guardó nada.")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status404NotFound, "No existe ese canal.")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status503ServiceUnavailable,
                "Los secretos del canal no se pueden abrir ahora (falta su clave en la configuración) o el servicio no está disponible: la plataforma reintenta.")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));
        return group;
    }

    public static async Task<Results<ContentHttpResult, ProblemAnswer>> Verify(
        [FromQuery(Name = "hub.mode")] string? mode, [FromQuery(Name = "hub.verify_token")] string? token,
        [FromQuery(Name = "hub.challenge")] string? challenge, IClusterClient grains) =>
        await grains.GetGrain<IWebhookGrain>(0).VerifyWhatsAppAsync(mode, token, challenge) is { } echoed
            ? TypedResults.Text(echoed, "text/plain")
            : Problems.Status(StatusCodes.Status403Forbidden, "El token de verificación no corresponde a ninguna empresa.");

    public static async Task<Results<Ok, ProblemAnswer>> WhatsApp(HttpRequest request, IClusterClient grains)
    {
        var body = await ReadAsync(request);
        var result = await grains.GetGrain<IWebhookGrain>(0).AcceptWhatsAppAsync(body, request.Headers["X-Hub-Signature-256"].FirstOrDefault());
        return Answer(result);
    }

    public static async Task<Results<Ok, ProblemAnswer>> Telegram(Guid canalId, HttpRequest request, IClusterClient grains)
    {
        var body = await ReadAsync(request);
        var result = await grains.GetGrain<IWebhookGrain>(0)
            .AcceptTelegramAsync(canalId, body, request.Headers["X-Telegram-Bot-Api-Secret-Token"].FirstOrDefault());
        return Answer(result);
    }

    private static async Task<byte[]> ReadAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        return buffer.ToArray();
    }

    private static Results<Ok, ProblemAnswer> Answer(WebhookResult result) => result switch
    {
        WebhookResult.Accepted => TypedResults.Ok(),
        WebhookResult.Unauthorized => Problems.Status(StatusCodes.Status401Unauthorized, "La firma o el token secreto no corresponden al canal."),
        WebhookResult.UnknownChannel => Problems.NotFound("No existe ese canal."),
        // Our side (a key missing from the configuration): the platform retries later and nothing is lost.
        WebhookResult.Unavailable => Problems.Status(StatusCodes.Status503ServiceUnavailable,
            "El canal no puede recibir mensajes en este momento; reintenta más tarde.", retryAfterSeconds: 60),
        _ => Problems.BadRequest("El cuerpo no es un evento válido de la plataforma."),
    };
}
