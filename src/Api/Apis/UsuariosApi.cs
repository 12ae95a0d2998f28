using System.Security.Claims;
using AgenteVendedor.Api.Contracts;
using AgenteVendedor.Api.Infrastructure;
using AgenteVendedor.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AgenteVendedor.Api.Apis;

public static class UsuariosApi
{
    public static RouteGroupBuilder MapUsuariosApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/usuarios").WithTags("Usuarios").RequireAuthorization(Policies.Admin);
        group.MapGet("/", List).WithName("ListarUsuarios").WithSummary("Usuarios de la empresa, paginados.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/{id:guid}", Get).WithName("ObtenerUsuario").WithSummary("Un usuario de la empresa.")
            .ProducesProblems(StatusCodes.Status404NotFound);
        group.MapPost("/", Create).RequireRateLimiting(RateLimits.UserCreation).WithName("CrearUsuario").WithSummary("Crea un usuario en la empresa.")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem<HttpValidationProblemDetails>(StatusCodes.Status409Conflict, "Ya existe un usuario con ese correo (en cualquier empresa).");
        group.MapPatch("/{id:guid}", Update).WithName("ActualizarUsuario").WithSummary("Cambia nombre, rol o estado de un usuario.")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem<ProblemDetails>(StatusCodes.Status409Conflict, "La empresa se quedaría sin administradores activos.");
        return group;
    }

    public static async Task<Results<Ok<PaginaResponse<UsuarioResponse>>, ProblemAnswer>> List(ClaimsPrincipal user, IClusterClient grains, int? pagina, int? tamano)
    {
        var v = new Validation();
        var (page, size) = Paging.Read(v, pagina, tamano);
        if (!v.IsValid)
        {
            return v.Problem();
        }

        var result = await grains.GetGrain<IEmpresaGrain>(user.EmpresaId()).ListUsersAsync(page, size);
        return TypedResults.Ok(PaginaResponse.From(result, UsuarioResponse.From));
    }

    public static async Task<Results<Ok<UsuarioResponse>, ProblemAnswer>> Get(Guid id, ClaimsPrincipal user, IClusterClient grains) =>
        await grains.GetGrain<IEmpresaGrain>(user.EmpresaId()).FindUserAsync(id) is { } found
            ? TypedResults.Ok(UsuarioResponse.From(found))
            : Problems.NotFound("No existe un usuario con ese id en esta empresa.");

    public static async Task<Results<Created<UsuarioResponse>, ProblemAnswer>> Create(CrearUsuarioRequest body, ClaimsPrincipal user, IClusterClient grains)
    {
        var v = new Validation();
        var name = v.Text("nombre", body.Nombre, 200);
        var email = v.Email("email", body.Email);
        var password = v.Password("password", body.Password);
        var role = v.Role("rol", body.Rol, required: true);
        if (!v.IsValid)
        {
            return v.Problem();
        }

        var outcome = await grains.GetGrain<IEmpresaGrain>(user.EmpresaId())
            .CreateUserAsync(user.Actor(), new NewUser(name!, email!, password!, role!));
        return outcome.Value is { } created
            ? TypedResults.Created($"/usuarios/{created.Id}", UsuarioResponse.From(created))
            : Problems.From(outcome.Problem!);
    }

    public static async Task<Results<Ok<UsuarioResponse>, ProblemAnswer>> Update(Guid id, ActualizarUsuarioRequest body, ClaimsPrincipal user, IClusterClient grains)
    {
        var v = new Validation();
        var name = v.Text("nombre", body.Nombre, 200, required: false);
        var role = v.Role("rol", body.Rol, required: false);
        if (!v.IsValid)
        {
            return v.Problem();
        }

        var outcome = await grains.GetGrain<IEmpresaGrain>(user.EmpresaId())
            .UpdateUserAsync(user.Actor(), id, new UserChanges(name, role, body.Activo));
        return outcome.Value is { } updated ? TypedResults.Ok(UsuarioResponse.From(updated)) : Problems.From(outcome.Problem!);
    }
}
