using System.Text.Json;
using AgenteVendedor.Panel.Api;
using AgenteVendedor.Panel.Session;

namespace AgenteVendedor.Panel.Features.Auditoria;

public sealed class AuditoriaClient(HttpClient http, ApiSession session) : ApiClientBase(http, session)
{
    public Task<ApiResult<Page<EntradaAuditoria>>> QueryAsync(AuditFilter filter, int pagina, int tamano, CancellationToken cancellationToken = default) =>
        GetAsync<Page<EntradaAuditoria>>(new Query("/auditoria").Add("entidad", filter.Entidad).Add("accion", filter.Accion)
            .Add("usuario_id", filter.UsuarioId).Add("desde", filter.Desde).Add("hasta", filter.Hasta?.AddDays(1))
            .Add("pagina", pagina).Add("tamano", tamano), cancellationToken);
}

public sealed record EntradaAuditoria(Guid Id, Guid? UsuarioId, string Entidad, string? EntidadId, string Accion, JsonElement Detalle, DateTime CreadoEn);

public sealed record AuditFilter(string? Entidad = null, string? Accion = null, Guid? UsuarioId = null, DateOnly? Desde = null, DateOnly? Hasta = null);
