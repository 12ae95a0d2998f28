using AgenteVendedor.Panel.Api;
using AgenteVendedor.Panel.Session;

namespace AgenteVendedor.Panel.Features.Usuarios;

public sealed class UsuariosClient(HttpClient http, ApiSession session) : ApiClientBase(http, session)
{
    public Task<ApiResult<Page<Usuario>>> ListAsync(int pagina = 1, int tamano = 100) =>
        GetAsync<Page<Usuario>>(new Query("/usuarios").Add("pagina", pagina).Add("tamano", tamano));

    public Task<ApiResult<Usuario>> CreateAsync(UsuarioForm form) => PostAsync<Usuario>("/usuarios", form);

    public Task<ApiResult<Usuario>> UpdateAsync(Guid id, string? rol = null, bool? activo = null) =>
        PatchAsync<Usuario>($"/usuarios/{id}", new { rol, activo });
}

public sealed record Usuario(Guid Id, string Nombre, string Email, string Rol, bool Activo, DateTime CreadoEn, DateTime ActualizadoEn);

public sealed class UsuarioForm
{
    public string Nombre { get; set; } = "";
    public string Email { get; set; } = "";
    public string Password { get; set; } = "";
    public string Rol { get; set; } = "vendedor";
}
