using AgenteVendedor.Tenancy;

namespace AgenteVendedor.Api.Contracts;

public sealed record UsuarioResponse(Guid Id, string Nombre, string Email, string Rol, bool Activo, DateTime CreadoEn, DateTime ActualizadoEn)
{
    public static UsuarioResponse From(UserView u) => new(u.Id, u.Name, u.Email, u.Role, u.Active, u.CreatedAt, u.UpdatedAt);
}

public sealed record CrearUsuarioRequest(string? Nombre, string? Email, string? Password, string? Rol);

public sealed record ActualizarUsuarioRequest(string? Nombre, string? Rol, bool? Activo);

public sealed record PaginaResponse<T>(IReadOnlyList<T> Items, long Total, int Pagina, int Tamano);

public static class PaginaResponse
{
    public static PaginaResponse<T> From<TSource, T>(AgenteVendedor.Common.Page<TSource> page, Func<TSource, T> map) =>
        new(page.Items.Select(map).ToList(), page.Total, page.Number, page.Size);
}
