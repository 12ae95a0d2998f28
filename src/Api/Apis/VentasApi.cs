using System.Security.Claims;
using System.Text.RegularExpressions;
using AgenteVendedor.Api.Contracts;
using AgenteVendedor.Api.Infrastructure;
using AgenteVendedor.Catalog;
using AgenteVendedor.Sales;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AgenteVendedor.Api.Apis;

public static partial class VentasApi
{
    public const int MaxLines = 200;

    public static RouteGroupBuilder MapVentasApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/ventas").WithTags("Ventas");
        group.MapPost("/", Create).RequireAuthorization(Policies.Edit).WithIdempotency<VentaRequest>()
            .WithName("CrearVenta").WithSummary("Registra una venta con precios del catálogo y descuenta el stock; 409 si falta stock.")
            .ProducesProblem<StockInsuficienteProblem>(StatusCodes.Status409Conflict,
                "Falta stock: 'producto_id' es el primer producto que no alcanza y 'disponible' cuántas unidades hay; no se vendió nada. "
                + "También cuando una solicitud con la misma Idempotency-Key todavía se procesa (Retry-After).")
            .ProducesProblem<ProblemDetails>(StatusCodes.Status503ServiceUnavailable,
                "Servicio no disponible: reintenta tras Retry-After. Si 'detail' dice que no se sabe si la venta quedó registrada, "
                + "consulta primero GET /ventas/{id} con el id que nombra.");
        group.MapGet("/", List).RequireAuthorization(Policies.Read)
            .WithName("ListarVentas").WithSummary("Ventas filtradas por fechas, estado, canal y cliente, de la más reciente a la más antigua.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/{id:guid}", Get).RequireAuthorization(Policies.Read).WithName("ObtenerVenta").WithSummary("Una venta con sus ítems.")
            .ProducesProblems(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/anular", Annul).RequireAuthorization(Policies.Admin)
            .WithName("AnularVenta").WithSummary("Anula una venta (de cualquier estado salvo entregada) y devuelve su stock.")
            .ProducesProblems(StatusCodes.Status404NotFound)
            .ProducesProblem<HttpValidationProblemDetails>(StatusCodes.Status409Conflict, "La venta ya estaba anulada, o está entregada (estado final).");
        group.MapPatch("/{id:guid}/estado", ChangeStatus).RequireAuthorization(Policies.Edit)
            .WithName("CambiarEstadoVenta")
            .WithSummary("Mueve la venta al siguiente estado de su ciclo (pendiente, confirmada, preparando, enviada, entregada) o la anula; "
                + "anulada devuelve el stock. Pedir el estado que ya tiene no cambia nada y responde 200.")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem<ProblemDetails>(StatusCodes.Status403Forbidden, "Tu rol no permite esta acción: un observador no cambia ventas y solo un administrador las anula.")
            .ProducesProblem<HttpValidationProblemDetails>(StatusCodes.Status409Conflict,
                "El ciclo no permite ese paso desde el estado actual: 'detail' nombra ambos estados y a cuáles puede pasar; no se cambió nada.");
        return group;
    }

    [GeneratedRegex("^[a-z_]{1,20}$")]
    private static partial Regex ChannelName();

    public static async Task<Results<Created<VentaResponse>, ProblemAnswer>> Create(VentaRequest body, ClaimsPrincipal user, IClusterClient grains, HttpContext http)
    {
        var v = new Validation();
        var lines = new List<OrderLine>();
        if (body.Items is not { Count: > 0 } items)
        {
            v.Add("items", "La venta necesita al menos un ítem.");
        }
        else if (items.Count > MaxLines)
        {
            v.Add("items", $"Una venta admite como máximo {MaxLines} ítems.");
        }
        else
        {
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                if (item?.ProductoId is not { } productId)
                {
                    v.Add($"items[{i}].producto_id", "Es obligatorio.");
                    continue;
                }

                if (item.Cantidad is not { } quantity || quantity is < 1 or > 10_000)
                {
                    v.Add($"items[{i}].cantidad", "Debe ser un entero entre 1 y 10000.");
                    continue;
                }

                lines.Add(new OrderLine(productId, quantity));
            }
        }

        var channel = v.Text("canal", body.Canal, 20, required: false)?.ToLowerInvariant() ?? "api";
        if (!ChannelName().IsMatch(channel))
        {
            v.Add("canal", "Usa una palabra en minúsculas, por ejemplo api, whatsapp, telegram o tienda.");
        }

        var notes = v.Text("notas", body.Notas, 1000, required: false);
        if (!v.IsValid)
        {
            return v.Problem();
        }

        var outcome = await grains.GetGrain<ITenantGrain>(user.EmpresaId())
            .PlaceOrderAsync(user.Actor(), new OrderRequest(body.ClienteId, lines, channel, notes, OrderKey(http, body.ClienteId, lines, channel, notes)));
        return outcome.Value is { } order
            ? TypedResults.Created($"/ventas/{order.Id}", VentaResponse.From(order))
            : Problems.From(outcome.Problem!);
    }

    /// <summary>
    /// The order's own key from the request's Idempotency-Key and its contents: placed in the order's
    /// transaction (order_keys), it makes a retry safe even when the first answer was lost with the
    /// database connection and never reached the Api's record of answers.
    /// </summary>
    private static string? OrderKey(HttpContext http, Guid? customerId, List<OrderLine> lines, string channel, string? notes)
    {
        var key = http.Request.Headers[Idempotency.Header].FirstOrDefault();
        if (key is null || Idempotency.KeyProblem(key) is not null)
        {
            return null;
        }

        var request = string.Join('\n', [key, customerId?.ToString() ?? "", channel, notes ?? "",
            .. lines.OrderBy(l => l.ProductId).Select(l => $"{l.ProductId}:{l.Quantity}")]);
        return "http:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(request)));
    }

    public static async Task<Results<Ok<PaginaResponse<VentaResponse>>, ProblemAnswer>> List(
        ClaimsPrincipal user, IClusterClient grains, string? desde, string? hasta, string? estado, string? canal,
        [FromQuery(Name = "cliente_id")] Guid? customerId, int? pagina, int? tamano)
    {
        if (!PeriodReader.TryRead(desde, hasta, out var period, out var error))
        {
            return Problems.BadRequest(error!);
        }

        var v = new Validation();
        var (page, size) = Paging.Read(v, pagina, tamano);
        var status = v.OneOf("estado", estado, OrderStatus.All);
        var channel = string.IsNullOrWhiteSpace(canal) ? null : canal.Trim().ToLowerInvariant();
        if (channel is not null && !ChannelName().IsMatch(channel))
        {
            v.Add("canal", "Usa el nombre de un canal en minúsculas, por ejemplo api, whatsapp, telegram o tienda.");
        }

        if (!v.IsValid)
        {
            return v.Problem();
        }

        var result = await grains.GetGrain<ISalesLedgerGrain>(user.EmpresaId())
            .ListOrdersAsync(new OrderQuery(period, status, customerId, page, size, channel));
        return TypedResults.Ok(PaginaResponse.From(result, VentaResponse.From));
    }

    public static async Task<Results<Ok<VentaResponse>, ProblemAnswer>> Get(Guid id, ClaimsPrincipal user, IClusterClient grains) =>
        await grains.GetGrain<ISalesLedgerGrain>(user.EmpresaId()).GetOrderAsync(id) is { } order
            ? TypedResults.Ok(VentaResponse.From(order))
            : Problems.NotFound("No existe una venta con ese id en esta empresa.");

    public static async Task<Results<Ok<VentaResponse>, ProblemAnswer>> ChangeStatus(
        Guid id, VentaEstadoRequest body, ClaimsPrincipal user, IClusterClient grains)
    {
        var v = new Validation();
        var status = v.OneOf("estado", body.Estado, OrderStatus.All);
        if (status is null && v.IsValid)
        {
            v.Add("estado", $"Es obligatorio. Usa uno de: {string.Join(", ", OrderStatus.All)}.");
        }

        var note = v.Text("nota", body.Nota, 500, required: false);
        if (!v.IsValid)
        {
            return v.Problem();
        }

        var outcome = await grains.GetGrain<ITenantGrain>(user.EmpresaId()).ChangeOrderStatusAsync(user.Actor(), id, status!, note);
        return outcome.Value is { } order ? TypedResults.Ok(VentaResponse.From(order)) : Problems.From(outcome.Problem!);
    }

    public static async Task<Results<Ok<VentaResponse>, ProblemAnswer>> Annul(Guid id, ClaimsPrincipal user, IClusterClient grains)
    {
        var outcome = await grains.GetGrain<ITenantGrain>(user.EmpresaId()).AnnulOrderAsync(user.Actor(), id);
        return outcome.Value is { } order ? TypedResults.Ok(VentaResponse.From(order)) : Problems.From(outcome.Problem!);
    }
}
