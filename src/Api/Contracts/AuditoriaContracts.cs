using System.Text.Json;
using AgenteVendedor.Audit;

namespace AgenteVendedor.Api.Contracts;

public sealed record AuditoriaItem(
    Guid Id, Guid? UsuarioId, string Entidad, string? EntidadId, string Accion, JsonElement Detalle, DateTime CreadoEn)
{
    public static AuditoriaItem From(AuditEntry e)
    {
        using var detail = JsonDocument.Parse(e.DetailJson);
        return new(e.Id, e.UserId, e.Entity, e.EntityId, e.Action, detail.RootElement.Clone(), e.CreatedAt);
    }
}
