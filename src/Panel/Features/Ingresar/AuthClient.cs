using AgenteVendedor.Panel.Api;
using AgenteVendedor.Panel.Session;

namespace AgenteVendedor.Panel.Features.Ingresar;

/// <summary>The Api's public auth routes, called before there is a session.</summary>
public sealed class AuthClient(HttpClient http) : ApiClientBase(http, null)
{
    public Task<ApiResult<Token>> LoginAsync(string email, string password) =>
        PostAsync<Token>("/auth/login", new { email, password });

    public Task<ApiResult<Token>> RegisterAsync(Registro registro) => PostAsync<Token>("/auth/registro", registro);

    public Task<ApiResult<SignedInUser>> MeAsync(string token) =>
        SendAsync<SignedInUser>(HttpMethod.Get, "/auth/yo", null,
            new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" }, CancellationToken.None);
}

public sealed record Token(string AccessToken, string TokenType, int ExpiresIn, Guid EmpresaId, Guid UsuarioId);

public sealed record Registro(RegistroEmpresa Empresa, RegistroUsuario Usuario);

public sealed record RegistroEmpresa(string Nombre, string? Moneda, string? Cultura, string? ZonaHoraria);

public sealed record RegistroUsuario(string Nombre, string Email, string Password);
