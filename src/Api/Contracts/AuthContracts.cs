namespace AgenteVendedor.Api.Contracts;

// Contract records carry the contract's own (Spanish) names; the snake_case policy turns them into JSON fields.

public sealed record RegistroRequest(EmpresaRegistro? Empresa, UsuarioRegistro? Usuario);

public sealed record EmpresaRegistro(string? Nombre, string? Moneda, string? Cultura, string? ZonaHoraria);

public sealed record UsuarioRegistro(string? Nombre, string? Email, string? Password);

public sealed record LoginRequest(string? Email, string? Password);

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, Guid EmpresaId, Guid UsuarioId);

public sealed record YoResponse(Guid Id, string Nombre, string Email, string Rol, Guid EmpresaId, string EmpresaNombre);
