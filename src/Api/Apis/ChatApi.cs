using System.Security.Claims;
using AgenteVendedor.Api.Contracts;
using AgenteVendedor.Api.Infrastructure;
using AgenteVendedor.Conversations;
using AgenteVendedor.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AgenteVendedor.Api.Apis;

public static class ChatApi
{
    public const string Channel = "api";

    public static RouteGroupBuilder MapChatApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/chat").WithTags("Chat").RequireAuthorization(Policies.Edit).RequireRateLimiting(RateLimits.Chat);
        group.MapPost("/", Chat).WithName("Chat")
            .WithSummary("Un turno con el agente de ventas; sin conversacion_id empieza una conversación nueva (canal api).")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem<ProblemDetails>(StatusCodes.Status404NotFound, "No existe esa conversacion_id en la empresa.")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status503ServiceUnavailable,
                "El modelo de lenguaje falló o no terminó a tiempo, o el clúster no responde; la conversación se conserva: reintenta tras Retry-After.");
        return group;
    }

    public static async Task<Results<Ok<ChatResponse>, ProblemAnswer>> Chat(ChatRequest body, ClaimsPrincipal user, IClusterClient grains, CancellationToken cancellationToken)
    {
        var v = new Validation();
        var message = v.Text("mensaje", body.Mensaje, 2000);
        var type = v.OneOf("tipo", body.Tipo, ChatTypes.All);
        var tone = v.OneOf("tono", body.Tono, EmpresaDefaults.Tones);
        var instructions = v.Text("instrucciones", body.Instrucciones, 4000, required: false);
        var driver = v.Text("llm", body.Llm, 40, required: false)?.ToLowerInvariant();
        if (!v.IsValid)
        {
            return v.Problem();
        }

        var conversationId = body.ConversacionId ?? Guid.CreateVersion7();
        var conversation = grains.GetGrain<IConversationGrain>(ConversationKey.For(user.EmpresaId(), Channel, conversationId.ToString("N")));
        if (body.ConversacionId is not null && !await conversation.ExistsAsync())
        {
            return Problems.NotFound("No existe esa conversación en esta empresa.");
        }

        var outcome = await conversation.HandleInboundAsync(new ChatTurn(message!, user.Actor(), type, tone, instructions, driver), cancellationToken);
        if (outcome.Value is not { } reply)
        {
            return Problems.From(outcome.Problem!);
        }

        return TypedResults.Ok(new ChatResponse(reply.Text, reply.Type, conversationId,
            reply.Products.Select(p => new ChatProducto(p.Id, p.Sku, p.Name, p.Price, p.Stock, p.ImageUrl)).ToList(),
            Carrito.From(reply.Cart), reply.Awaiting, reply.OrderId));
    }
}
