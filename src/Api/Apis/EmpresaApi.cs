using System.Security.Claims;
using AgenteVendedor.Api.Contracts;
using AgenteVendedor.Api.Infrastructure;
using AgenteVendedor.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgenteVendedor.Api.Apis;

public static class EmpresaApi
{
    public static RouteGroupBuilder MapEmpresaApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/empresa").WithTags("Empresa");
        group.MapGet("/", Get).RequireAuthorization(Policies.Read)
            .WithName("ObtenerEmpresa").WithSummary("Datos y ajustes del agente de la empresa del token.");
        group.MapPut("/", Update).RequireAuthorization(Policies.Admin)
            .WithName("ActualizarEmpresa").WithSummary("Cambia datos y ajustes; los campos ausentes conservan su valor.")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity);
        return group;
    }

    public static async Task<Results<Ok<EmpresaResponse>, ProblemAnswer>> Get(ClaimsPrincipal user, IClusterClient grains) =>
        await grains.GetGrain<IEmpresaGrain>(user.EmpresaId()).GetProfileAsync() is { } profile
            ? TypedResults.Ok(EmpresaResponse.From(profile))
            : Problems.NotFound("La empresa no existe.");

    public static async Task<Results<Ok<EmpresaResponse>, ProblemAnswer>> Update(EmpresaRequest body, ClaimsPrincipal user, IClusterClient grains)
    {
        var v = new Validation();
        var settings = new EmpresaSettings(
            v.Text("nombre", body.Nombre, 200, required: false),
            v.Currency("moneda", body.Moneda),
            v.Culture("cultura", body.Cultura),
            v.TimeZone("zona_horaria", body.ZonaHoraria),
            v.OneOf("tono", body.Tono, EmpresaDefaults.Tones),
            body.Instrucciones is null ? null : v.Text("instrucciones", body.Instrucciones, 4000, required: false) ?? string.Empty,
            v.Text("nombre_agente", body.NombreAgente, 60, required: false),
            body.PreguntasFrecuentes is null ? null : Faq(v, body.PreguntasFrecuentes),
            body.PedidosChatPendientes);
        if (!v.IsValid)
        {
            return v.Problem();
        }

        var outcome = await grains.GetGrain<IEmpresaGrain>(user.EmpresaId()).UpdateProfileAsync(user.Actor(), settings);
        return outcome.Value is { } profile ? TypedResults.Ok(EmpresaResponse.From(profile)) : Problems.From(outcome.Problem!);
    }

    private const string FaqField = "preguntas_frecuentes";

    /// <summary>Each entry trimmed and checked against <see cref="FaqLimits"/>; errors name the entry (preguntas_frecuentes[2].respuesta).</summary>
    private static FaqEntry[] Faq(Validation v, IReadOnlyList<PreguntaFrecuenteRequest?> entries)
    {
        if (entries.Count > FaqLimits.MaxEntries)
        {
            v.Add(FaqField, $"Admite como máximo {FaqLimits.MaxEntries} preguntas.");
            return [];
        }

        var faq = new List<FaqEntry>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not { } entry)
            {
                v.Add($"{FaqField}[{i}]", "Cada elemento debe ser {pregunta, respuesta}.");
                continue;
            }

            var question = v.Text($"{FaqField}[{i}].pregunta", entry.Pregunta, FaqLimits.MaxQuestion);
            var answer = v.Text($"{FaqField}[{i}].respuesta", entry.Respuesta, FaqLimits.MaxAnswer);
            if (question is not null && answer is not null)
            {
                faq.Add(new FaqEntry(question, answer));
            }
        }

        return faq.ToArray();
    }
}
