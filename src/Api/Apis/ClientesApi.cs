using System.Security.Claims;
using AgenteVendedor.Api.Contracts;
using AgenteVendedor.Api.Infrastructure;
using AgenteVendedor.Customers;
using AgenteVendedor.Sales;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgenteVendedor.Api.Apis;

public static class ClientesApi
{
    public static RouteGroupBuilder MapClientesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/clientes").WithTags("Clientes");
        group.MapGet("/", List).RequireAuthorization(Policies.Read)
            .WithName("ListarClientes").WithSummary("Clientes de la empresa; 'buscar' mira nombre, teléfono, correo y documento.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/{id:guid}", Get).RequireAuthorization(Policies.Read).WithName("ObtenerCliente").WithSummary("Un cliente.")
            .ProducesProblems(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/ventas", Sales).RequireAuthorization(Policies.Read)
            .WithName("VentasDeCliente").WithSummary("Ventas de un cliente, de la más reciente a la más antigua.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/", Create).RequireAuthorization(Policies.Edit).WithIdempotency<ClienteRequest>()
            .WithName("CrearCliente").WithSummary("Crea un cliente; el teléfono se guarda en E.164.")
            .ProducesProblem<HttpValidationProblemDetails>(StatusCodes.Status409Conflict,
                "Ya hay un cliente con ese teléfono en la empresa, o una solicitud con la misma Idempotency-Key todavía se procesa (Retry-After).");
        group.MapPut("/{id:guid}", Update).RequireAuthorization(Policies.Edit)
            .WithName("ActualizarCliente").WithSummary("Reemplaza los datos de un cliente.")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem<HttpValidationProblemDetails>(StatusCodes.Status409Conflict, "Ya hay otro cliente con ese teléfono en la empresa.");
        return group;
    }

    public static async Task<Results<Ok<PaginaResponse<ClienteResponse>>, ProblemAnswer>> List(ClaimsPrincipal user, IClusterClient grains, string? buscar, int? pagina, int? tamano)
    {
        var v = new Validation();
        var (page, size) = Paging.Read(v, pagina, tamano);
        if (!v.IsValid)
        {
            return v.Problem();
        }

        var result = await grains.GetGrain<ICustomersGrain>(user.EmpresaId()).ListCustomersAsync(buscar, page, size);
        return TypedResults.Ok(PaginaResponse.From(result, ClienteResponse.From));
    }

    public static async Task<Results<Ok<ClienteResponse>, ProblemAnswer>> Get(Guid id, ClaimsPrincipal user, IClusterClient grains) =>
        await grains.GetGrain<ICustomersGrain>(user.EmpresaId()).GetCustomerAsync(id) is { } customer
            ? TypedResults.Ok(ClienteResponse.From(customer))
            : Problems.NotFound("No existe un cliente con ese id en esta empresa.");

    public static async Task<Results<Ok<PaginaResponse<VentaResponse>>, ProblemAnswer>> Sales(Guid id, ClaimsPrincipal user, IClusterClient grains, int? pagina, int? tamano)
    {
        var v = new Validation();
        var (page, size) = Paging.Read(v, pagina, tamano);
        if (!v.IsValid)
        {
            return v.Problem();
        }

        if (await grains.GetGrain<ICustomersGrain>(user.EmpresaId()).GetCustomerAsync(id) is null)
        {
            return Problems.NotFound("No existe un cliente con ese id en esta empresa.");
        }

        var result = await grains.GetGrain<ISalesLedgerGrain>(user.EmpresaId())
            .ListOrdersAsync(new OrderQuery(new Period(), null, id, page, size));
        return TypedResults.Ok(PaginaResponse.From(result, VentaResponse.From));
    }

    public static async Task<Results<Created<ClienteResponse>, ProblemAnswer>> Create(ClienteRequest body, ClaimsPrincipal user, IClusterClient grains)
    {
        var saved = await SaveAsync(null, body, user, grains);
        return saved.Customer is { } created ? TypedResults.Created($"/clientes/{created.Id}", created) : saved.Problem!;
    }

    public static async Task<Results<Ok<ClienteResponse>, ProblemAnswer>> Update(Guid id, ClienteRequest body, ClaimsPrincipal user, IClusterClient grains)
    {
        var saved = await SaveAsync(id, body, user, grains);
        return saved.Customer is { } updated ? TypedResults.Ok(updated) : saved.Problem!;
    }

    private sealed record Saved(ClienteResponse? Customer, ProblemAnswer? Problem);

    private static async Task<Saved> SaveAsync(Guid? id, ClienteRequest body, ClaimsPrincipal user, IClusterClient grains)
    {
        var v = new Validation();
        var name = v.Text("nombre", body.Nombre, 200);
        var phone = v.Text("telefono", body.Telefono, 30);
        var email = body.Email is null || body.Email.Trim().Length == 0 ? null : v.Email("email", body.Email);
        var document = v.Text("documento", body.Documento, 40, required: false);
        var address = v.Text("direccion", body.Direccion, 500, required: false);
        var notes = v.Text("notas", body.Notas, 2000, required: false);
        if (!v.IsValid)
        {
            return new Saved(null, v.Problem());
        }

        var outcome = await grains.GetGrain<ICustomersGrain>(user.EmpresaId())
            .SaveCustomerAsync(user.Actor(), id, new CustomerInput(name!, phone!, email, document, address, notes));
        return outcome.Value is { } saved ? new Saved(ClienteResponse.From(saved), null) : new Saved(null, Problems.From(outcome.Problem!));
    }
}
