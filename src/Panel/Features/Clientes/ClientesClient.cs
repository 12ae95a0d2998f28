using AgenteVendedor.Panel.Api;
using AgenteVendedor.Panel.Features.Ventas;
using AgenteVendedor.Panel.Session;

namespace AgenteVendedor.Panel.Features.Clientes;

public sealed class ClientesClient(HttpClient http, ApiSession session) : ApiClientBase(http, session)
{
    public Task<ApiResult<Page<Cliente>>> ListAsync(string? buscar, int pagina, int tamano, CancellationToken cancellationToken = default) =>
        GetAsync<Page<Cliente>>(new Query("/clientes").Add("buscar", buscar).Add("pagina", pagina).Add("tamano", tamano), cancellationToken);

    public Task<ApiResult<Cliente>> GetAsync(Guid id) => GetAsync<Cliente>($"/clientes/{id}");

    public Task<ApiResult<Cliente>> UpdateAsync(Guid id, ClienteForm form) => PutAsync<Cliente>($"/clientes/{id}", form);

    public Task<ApiResult<Cliente>> CreateAsync(ClienteForm form) =>
        SendAsync<Cliente>(HttpMethod.Post, "/clientes", System.Net.Http.Json.JsonContent.Create(form, options: ApiJson.Options), Idempotent(), CancellationToken.None);

    public Task<ApiResult<Page<Venta>>> SalesAsync(Guid id, int pagina = 1, int tamano = 50) =>
        GetAsync<Page<Venta>>(new Query($"/clientes/{id}/ventas").Add("pagina", pagina).Add("tamano", tamano));
}

public sealed record Cliente(
    Guid Id, string Nombre, string Telefono, string? Email, string? Documento, string? Direccion, string? Notas, DateTime CreadoEn);

public sealed class ClienteForm
{
    public string Nombre { get; set; } = "";
    public string Telefono { get; set; } = "";
    public string? Email { get; set; }
    public string? Documento { get; set; }
    public string? Direccion { get; set; }
    public string? Notas { get; set; }

    public static ClienteForm From(Cliente c) => new()
    {
        Nombre = c.Nombre, Telefono = c.Telefono, Email = c.Email, Documento = c.Documento, Direccion = c.Direccion, Notas = c.Notas,
    };
}
