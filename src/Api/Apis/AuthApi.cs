using System.Security.Claims;
using AgenteVendedor.Accounts;
using AgenteVendedor.Api.Contracts;
using AgenteVendedor.Api.Infrastructure;
using AgenteVendedor.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AgenteVendedor.Api.Apis;

public static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/auth").WithTags("Autenticación");
        group.MapPost("/registro", Register).AllowAnonymous().RequireRateLimiting(RateLimits.Auth)
            .WithName("Registro").WithSummary("Crea una empresa nueva con su primer administrador y devuelve un token.")
            .ProducesProblems(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/login", SignIn).AllowAnonymous().RequireRateLimiting(RateLimits.Auth)
            .WithName("Login").WithSummary("Devuelve un token para correo y contraseña.")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem<ProblemDetails>(StatusCodes.Status401Unauthorized, "Correo o contraseña incorrectos (la misma respuesta para un correo desconocido).")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status429TooManyRequests,
                "Demasiadas solicitudes desde tu red, o demasiados intentos fallidos para este correo desde ella: espera los segundos de Retry-After.");
        group.MapGet("/yo", Me).RequireAuthorization(Policies.Read)
            .WithName("Yo").WithSummary("El usuario del token y su empresa.");
        return group;
    }

    public static async Task<Results<Created<TokenResponse>, ProblemAnswer>> Register(RegistroRequest body, IClusterClient grains, Tokens tokens)
    {
        var v = new Validation();
        if (body.Empresa is null) { v.Add("empresa", "Es obligatorio."); }
        if (body.Usuario is null) { v.Add("usuario", "Es obligatorio."); }
        var empresaName = v.Text("empresa.nombre", body.Empresa?.Nombre, 200, required: body.Empresa is not null);
        var currency = v.Currency("empresa.moneda", body.Empresa?.Moneda);
        var culture = v.Culture("empresa.cultura", body.Empresa?.Cultura);
        var timeZone = v.TimeZone("empresa.zona_horaria", body.Empresa?.ZonaHoraria);
        var userName = v.Text("usuario.nombre", body.Usuario?.Nombre, 200, required: body.Usuario is not null);
        var email = body.Usuario is null ? null : v.Email("usuario.email", body.Usuario.Email);
        var password = body.Usuario is null ? null : v.Password("usuario.password", body.Usuario.Password);
        if (!v.IsValid)
        {
            return v.Problem();
        }

        var outcome = await grains.GetGrain<IAccountGrain>(email!).RegisterAsync(new Registration(
            empresaName!, currency ?? EmpresaDefaults.Currency, culture ?? EmpresaDefaults.Culture,
            userName!, password!, timeZone ?? EmpresaDefaults.TimeZone));
        return outcome.Value is { } user
            ? TypedResults.Created("/auth/yo", TokenFor(user, tokens))
            : Problems.From(outcome.Problem!);
    }

    public static async Task<Results<Ok<TokenResponse>, ProblemAnswer>> SignIn(LoginRequest body, IClusterClient grains, Tokens tokens, HttpContext http)
    {
        var v = new Validation();
        var email = v.Text("email", body.Email, 254)?.ToLowerInvariant();
        if (string.IsNullOrEmpty(body.Password)) { v.Add("password", "Es obligatorio."); }
        if (!v.IsValid)
        {
            return v.Problem();
        }

        var outcome = await grains.GetGrain<IAccountGrain>(email!).SignInAsync(body.Password!, http.ClientKey());
        return outcome.Value is { } user ? TypedResults.Ok(TokenFor(user, tokens)) : Problems.From(outcome.Problem!);
    }

    public static async Task<Results<Ok<YoResponse>, ProblemAnswer>> Me(ClaimsPrincipal principal, IClusterClient grains)
    {
        var empresa = grains.GetGrain<IEmpresaGrain>(principal.EmpresaId());
        var user = await empresa.FindUserAsync(principal.UserId());
        var profile = await empresa.GetProfileAsync();
        return user is null || profile is null
            ? Problems.NotFound("El usuario ya no existe.")
            : TypedResults.Ok(new YoResponse(user.Id, user.Name, user.Email, user.Role, profile.Id, profile.Name));
    }

    private static TokenResponse TokenFor(SignedInUser user, Tokens tokens) =>
        new(tokens.Issue(user), "bearer", (int)tokens.Lifetime.TotalSeconds, user.EmpresaId, user.UserId);
}
