using System.Security.Claims;
using AgenteVendedor.Api.Contracts;
using AgenteVendedor.Api.Infrastructure;
using AgenteVendedor.Conversations;

namespace AgenteVendedor.Api.Apis;

public static class ConversacionesApi
{
    public static RouteGroupBuilder MapConversacionesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/conversaciones").WithTags("Conversaciones");
        group.MapGet("/", List).RequireAuthorization(Policies.Read).WithName("ListarConversaciones")
            .WithSummary("Conversaciones de la empresa, la más reciente primero; estado agente|humano.");
        group.MapGet("/{id:guid}", Get).RequireAuthorization(Policies.Read).WithName("ObtenerConversacion")
            .WithSummary("Una conversación con su transcripción, carrito y ventas.");
        group.MapPost("/{id:guid}/tomar", (Guid id, ClaimsPrincipal user, IClusterClient grains) => Handoff(id, user, grains, human: true))
            .RequireAuthorization(Policies.Edit).WithName("TomarConversacion").WithSummary("Una persona toma la conversación: el agente deja de responder.");
        group.MapPost("/{id:guid}/liberar", (Guid id, ClaimsPrincipal user, IClusterClient grains) => Handoff(id, user, grains, human: false))
            .RequireAuthorization(Policies.Edit).WithName("LiberarConversacion").WithSummary("Devuelve la conversación al agente.");
        group.MapPost("/{id:guid}/mensajes", Reply).RequireAuthorization(Policies.Edit).WithName("ResponderConversacion")
            .WithSummary("Respuesta de una persona, enviada por el canal de la conversación.");
        return group;
    }

    public static async Task<IResult> List(ClaimsPrincipal user, IClusterClient grains, string? estado, string? canal, int? pagina, int? tamano)
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

    public static async Task<IResult> Get(Guid id, ClaimsPrincipal user, IClusterClient grains) =>
        await Find(id, user, grains) is { } conversation && await conversation.GetDetailAsync() is { } detail
            ? TypedResults.Ok(ConversacionDetalleResponse.From(detail))
            : NotFound();

    private static async Task<IResult> Handoff(Guid id, ClaimsPrincipal user, IClusterClient grains, bool human)
    {
        if (await Find(id, user, grains) is not { } conversation)
        {
            return NotFound();
        }

        var outcome = await conversation.SetHandoffAsync(user.Actor(), human);
        return outcome.Value is { } detail ? TypedResults.Ok(ConversacionDetalleResponse.From(detail)) : Problems.From(outcome.Problem!);
    }

    public static async Task<IResult> Reply(Guid id, MensajeHumanoRequest body, ClaimsPrincipal user, IClusterClient grains)
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

    private static IResult NotFound() => Problems.NotFound("No existe esa conversación en esta empresa.");
}
