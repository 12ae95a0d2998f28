using System.Security.Claims;
using AgenteVendedor.Api.Contracts;
using AgenteVendedor.Api.Infrastructure;
using AgenteVendedor.Audit;
using AgenteVendedor.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgenteVendedor.Api.Apis;

public static class AuditoriaApi
{
    public static RouteGroupBuilder MapAuditoriaApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/auditoria").WithTags("Auditoría").RequireAuthorization(Policies.Admin);
        group.MapGet("/", Query).WithName("ConsultarAuditoria")
            .WithSummary("Cambios registrados en la empresa, del más reciente al más antiguo.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status422UnprocessableEntity);
        return group;
    }

    public static async Task<Results<Ok<PaginaResponse<AuditoriaItem>>, ProblemAnswer>> Query(
        ClaimsPrincipal user, IClusterClient grains,
        string? entidad, string? accion, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "usuario_id")] Guid? userId, DateTimeOffset? desde, DateTimeOffset? hasta, int? pagina, int? tamano)
    {
        var v = new Validation();
        var (page, size) = Paging.Read(v, pagina, tamano);
        if (desde is not null && hasta is not null && desde > hasta)
        {
            v.Add("hasta", "Debe ser posterior a 'desde'.");
        }

        if (!v.IsValid)
        {
            return v.Problem();
        }

        var result = await grains.GetGrain<IEmpresaGrain>(user.EmpresaId()).QueryAuditAsync(new AuditQuery(
            NullIfBlank(entidad), NullIfBlank(accion), userId, desde?.UtcDateTime, hasta?.UtcDateTime, page, size));
        return TypedResults.Ok(PaginaResponse.From(result, AuditoriaItem.From));
    }

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim().ToLowerInvariant();
}
