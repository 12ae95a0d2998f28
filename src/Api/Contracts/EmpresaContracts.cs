using AgenteVendedor.Tenancy;

namespace AgenteVendedor.Api.Contracts;

public sealed record EmpresaResponse(
    Guid Id, string Nombre, string Moneda, string Cultura, string ZonaHoraria, string Tono,
    string Instrucciones, string NombreAgente, DateTime CreadoEn, DateTime ActualizadoEn,
    IReadOnlyList<PreguntaFrecuente> PreguntasFrecuentes, bool PedidosChatPendientes)
{
    public static EmpresaResponse From(EmpresaProfile p) => new(
        p.Id, p.Name, p.Currency, p.Culture, p.TimeZone, p.Tone, p.Instructions, p.AgentName, p.CreatedAt, p.UpdatedAt,
        p.Faq.Select(f => new PreguntaFrecuente(f.Question, f.Answer)).ToList(), p.ChatOrdersPending);
}

/// <param name="PreguntasFrecuentes">Absent or null keeps the current list; a list (also []) replaces it.</param>
/// <param name="PedidosChatPendientes">Whether the agent's chat orders start pendiente; absent or null keeps the setting.</param>
public sealed record EmpresaRequest(
    string? Nombre, string? Moneda, string? Cultura, string? ZonaHoraria, string? Tono, string? Instrucciones, string? NombreAgente,
    IReadOnlyList<PreguntaFrecuenteRequest?>? PreguntasFrecuentes = null, bool? PedidosChatPendientes = null);

public sealed record PreguntaFrecuente(string Pregunta, string Respuesta);

public sealed record PreguntaFrecuenteRequest(string? Pregunta, string? Respuesta);
