using AgenteVendedor.Tenancy;

namespace AgenteVendedor.Api.Contracts;

public sealed record EmpresaResponse(
    Guid Id, string Nombre, string Moneda, string Cultura, string ZonaHoraria, string Tono,
    string Instrucciones, string NombreAgente, DateTime CreadoEn, DateTime ActualizadoEn)
{
    public static EmpresaResponse From(EmpresaProfile p) => new(
        p.Id, p.Name, p.Currency, p.Culture, p.TimeZone, p.Tone, p.Instructions, p.AgentName, p.CreatedAt, p.UpdatedAt);
}

public sealed record EmpresaRequest(
    string? Nombre, string? Moneda, string? Cultura, string? ZonaHoraria, string? Tono, string? Instrucciones, string? NombreAgente);
