using System.Security.Claims;
using AgenteVendedor.Api.Contracts;
using AgenteVendedor.Api.Events;
using AgenteVendedor.Api.Infrastructure;
using AgenteVendedor.Api.Media;
using AgenteVendedor.Conversations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AgenteVendedor.Api.Apis;

public static class ConversacionesApi
{
    public static RouteGroupBuilder MapConversacionesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/conversaciones").WithTags("Conversaciones");
        group.MapGet("/", List).RequireAuthorization(Policies.Read).WithName("ListarConversaciones")
            .WithSummary("Conversaciones de la empresa, la más reciente primero; estado agente|humano.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/eventos", Events).RequireAuthorization(Policies.Read).WithName("EventosConversaciones")
            .WithSummary("Cambios de las conversaciones de la empresa en vivo (Server-Sent Events): 'event: conversacion' con la conversación como la lista la muestra.")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status429TooManyRequests,
                "La empresa ya tiene abiertas en este servidor todas las conexiones de eventos que admite: reintenta tras Retry-After.");
        group.MapGet("/{id:guid}", Get).RequireAuthorization(Policies.Read).WithName("ObtenerConversacion")
            .WithSummary("Una conversación con su transcripción, carrito y ventas.")
            .ProducesProblems(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/medios/{medio_id:guid}", GetMedia).RequireAuthorization(Policies.Read).WithName("ObtenerMedio")
            .WithSummary("Los bytes de un archivo que el cliente envió (foto, nota de voz, video, documento, sticker), con su tipo MIME.")
            .Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream")
            .ProducesProblems(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/tomar", (Guid id, ClaimsPrincipal user, IClusterClient grains) => Handoff(id, user, grains, human: true))
            .RequireAuthorization(Policies.Edit).WithName("TomarConversacion").WithSummary("Una persona toma la conversación: el agente deja de responder.")
            .ProducesProblems(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/liberar", (Guid id, ClaimsPrincipal user, IClusterClient grains) => Handoff(id, user, grains, human: false))
            .RequireAuthorization(Policies.Edit).WithName("LiberarConversacion").WithSummary("Devuelve la conversación al agente.")
            .ProducesProblems(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/mensajes", Reply).RequireAuthorization(Policies.Edit).WithName("ResponderConversacion")
            .WithSummary("Respuesta de una persona, enviada por el canal de la conversación.")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem<ProblemDetails>(StatusCodes.Status409Conflict, "El canal de la conversación ya no está configurado en la empresa.")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status503ServiceUnavailable,
                "La plataforma rechazó el mensaje ('detail' da su error) o el servicio no está disponible: reintenta más tarde.");
        return group;
    }

    public static async Task<Results<Ok<PaginaResponse<ConversacionResponse>>, ProblemAnswer>> List(ClaimsPrincipal user, IClusterClient grains, string? estado, string? canal, int? pagina, int? tamano)
    {
        var v = new Validation();
        var (page, size) = Paging.Read(v, pagina, tamano);
        var state = v.OneOf("estado", estado, ["agente", "humano"]);
        var channel = v.OneOf("canal", canal, ["whatsapp", "telegram", "api"]);
        if (!v.IsValid)
        {
            return v.Problem();
        }

        var result = await grains.GetGrain<IConversationDirectoryGrain>(user.EmpresaId()).ListAsync(state, channel, page, size);
        return TypedResults.Ok(PaginaResponse.From(result, ConversacionResponse.From));
    }

    /// <summary>Opens the live stream once the empresa's subscription is in place, so nothing after this answer is missed.</summary>
    public static async Task<Results<ConversationEventStream, ProblemAnswer>> Events(
        ClaimsPrincipal user, ConversationEventsHub hub, IOptions<ConversationEventsOptions> options, CancellationToken cancellationToken)
    {
        if (await hub.OpenAsync(user.EmpresaId(), cancellationToken) is not { } subscription)
        {
            return Problems.Status(StatusCodes.Status429TooManyRequests,
                $"La empresa ya tiene {options.Value.MaxStreamsPerTenant} conexiones de eventos abiertas en este servidor. Cierra alguna pestaña del panel o espera un momento.",
                retryAfterSeconds: 30);
        }

        return new ConversationEventStream(subscription, user, TimeSpan.FromSeconds(options.Value.HeartbeatSeconds));
    }

    public static async Task<Results<Ok<ConversacionDetalleResponse>, ProblemAnswer>> Get(Guid id, ClaimsPrincipal user, IClusterClient grains) =>
        await Find(id, user, grains) is { } conversation && await conversation.GetDetailAsync() is { } detail
            ? TypedResults.Ok(ConversacionDetalleResponse.From(detail))
            : NotFound();

    /// <summary>
    /// A stored file of one of the empresa's conversations. Images, audio and video are served inline; anything else as an
    /// attachment, and never sniffed or run by the browser (it is what a customer sent).
    /// </summary>
    public static async Task<Results<PushStreamHttpResult, ProblemAnswer>> GetMedia(
        Guid id, [FromRoute(Name = "medio_id")] Guid mediaId, ClaimsPrincipal user, IClusterClient grains, MediaContent content, HttpResponse response)
    {
        var tenantId = user.EmpresaId();
        if (await grains.GetGrain<IConversationDirectoryGrain>(tenantId).FindMediaAsync(id, mediaId) is not { } media)
        {
            return Problems.NotFound("No existe ese archivo en esta conversación.");
        }

        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        response.Headers.CacheControl = "private, max-age=3600";
        response.ContentLength = media.Bytes;
        var inline = media.Mime.StartsWith("image/", StringComparison.Ordinal) || media.Mime.StartsWith("audio/", StringComparison.Ordinal)
            || media.Mime.StartsWith("video/", StringComparison.Ordinal);
        return TypedResults.Stream(body => content.CopyAsync(tenantId, id, mediaId, body, response.HttpContext.RequestAborted), media.Mime,
            inline ? null : media.FileName ?? $"{media.Kind}-{media.Id:N}");
    }

    private static async Task<Results<Ok<ConversacionDetalleResponse>, ProblemAnswer>> Handoff(Guid id, ClaimsPrincipal user, IClusterClient grains, bool human)
    {
        if (await Find(id, user, grains) is not { } conversation)
        {
            return NotFound();
        }

        var outcome = await conversation.SetHandoffAsync(user.Actor(), human);
        return outcome.Value is { } detail ? TypedResults.Ok(ConversacionDetalleResponse.From(detail)) : Problems.From(outcome.Problem!);
    }

    public static async Task<Results<Ok<ConversacionDetalleResponse>, ProblemAnswer>> Reply(Guid id, MensajeHumanoRequest body, ClaimsPrincipal user, IClusterClient grains)
    {
        var v = new Validation();
        var text = v.Text("texto", body.Texto, 4096);
        if (!v.IsValid)
        {
            return v.Problem();
        }

        if (await Find(id, user, grains) is not { } conversation)
        {
            return NotFound();
        }

        var outcome = await conversation.SendAsHumanAsync(user.Actor(), text!);
        return outcome.Value is { } detail ? TypedResults.Ok(ConversacionDetalleResponse.From(detail)) : Problems.From(outcome.Problem!);
    }

    private static async Task<IConversationGrain?> Find(Guid id, ClaimsPrincipal user, IClusterClient grains) =>
        await grains.GetGrain<IConversationDirectoryGrain>(user.EmpresaId()).KeyOfAsync(id) is { } key
            ? grains.GetGrain<IConversationGrain>(key)
            : null;

    private static ProblemAnswer NotFound() => Problems.NotFound("No existe esa conversación en esta empresa.");
}
