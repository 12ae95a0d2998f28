using System.Security.Claims;
using AgenteVendedor.Api.Contracts;
using AgenteVendedor.Api.Infrastructure;
using AgenteVendedor.Tenancy;

namespace AgenteVendedor.Api.Apis;

public static class EmpresaApi
{
    public static RouteGroupBuilder MapEmpresaApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/empresa").WithTags("Empresa");
        group.MapGet("/", Get).RequireAuthorization(Policies.Read)
            .WithName("ObtenerEmpresa").WithSummary("Datos y ajustes del agente de la empresa del token.");
        group.MapPut("/", Update).RequireAuthorization(Policies.Admin)
            .WithName("ActualizarEmpresa").WithSummary("Cambia datos y ajustes; los campos ausentes conservan su valor.");
        return group;
    }

    public static async Task<IResult> Get(ClaimsPrincipal user, IClusterClient grains) =>
        await grains.GetGrain<IEmpresaGrain>(user.EmpresaId()).GetProfileAsync() is { } profile
            ? TypedResults.Ok(EmpresaResponse.From(profile))
            : Problems.NotFound("La empresa no existe.");

    public static async Task<IResult> Update(EmpresaRequest body, ClaimsPrincipal user, IClusterClient grains)
    {
        var v = new Validation();
        var settings = new EmpresaSettings(
            v.Text("nombre", body.Nombre, 200, required: false),
            v.Currency("moneda", body.Moneda),
            v.Culture("cultura", body.Cultura),
            v.TimeZone("zona_horaria", body.ZonaHoraria),
            v.OneOf("tono", body.Tono, EmpresaDefaults.Tones),
            body.Instrucciones is null ? null : v.Text("instrucciones", body.Instrucciones, 4000, required: false) ?? string.Empty,
            v.Text("nombre_agente", body.NombreAgente, 60, required: false));
        if (!v.IsValid)
        {
            return v.Problem();
        }

        var outcome = await grains.GetGrain<IEmpresaGrain>(user.EmpresaId()).UpdateProfileAsync(user.Actor(), settings);
        return outcome.Value is { } profile ? TypedResults.Ok(EmpresaResponse.From(profile)) : Problems.From(outcome.Problem!);
    }
}
