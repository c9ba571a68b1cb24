"""Hand-built document graphs for store, API and picture tests (no ingest involved).

Two documents of the genre, written for the tests: a twinning MOU between a district of
Thành phố Hồ Chí Minh and a district of Đắk Nông, and a plan whose appendix lists two
events with lead agencies and contacts. Facts are invented except the units' names.
"""

from __future__ import annotations

from graph.model import DocumentGraph, Node, Relationship, Source, relationship_id
from ingest.document import Block, Cell, Document

MOU_DOC = "mou_quan3_tuyduc.txt"
PLAN_DOC = "plan_kh_101.txt"


def _node(doc: str, node_id: str, kind: str, name: str, quote: str, **props: object) -> Node:
    aliases = list(props.pop("aliases", []))  # type: ignore[arg-type]
    return Node(id=node_id, kind=kind, name=name, aliases=aliases, properties=dict(props),
                sources=[Source(document=doc, quote=quote)])


def _rel(doc: str, rel_type: str, start: str, end: str, quote: str, key: str = "", **props: object) -> Relationship:
    return Relationship(id=relationship_id(rel_type, start, end, key), type=rel_type, start=start, end=end,
                        properties=dict(props), sources=[Source(document=doc, quote=quote)])


def localities(doc: str, quote: str) -> list[Node]:
    return [
        _node(doc, "loc:79", "Locality", "Thành phố Hồ Chí Minh", quote, level="province", code="79",
              latitude=10.8231, longitude=106.6297, aliases=["TP.HCM"]),
        _node(doc, "loc:79-770", "Locality", "Quận 3", quote, level="district", code="770", parent_code="79",
              latitude=10.7818, longitude=106.6851),
        _node(doc, "loc:67", "Locality", "Tỉnh Đắk Nông", quote, level="province", code="67",
              latitude=12.3018, longitude=107.7636, successor_code="68", successor_name="Tỉnh Lâm Đồng"),
        _node(doc, "loc:67-667", "Locality", "Huyện Tuy Đức", quote, level="district", code="667", parent_code="67",
              latitude=12.1504, longitude=107.3849),
    ]


def mou_document() -> DocumentGraph:
    """A twinning MOU: UBND Quận 3 with UBND huyện Tuy Đức, sectors social welfare and culture."""
    doc = MOU_DOC
    q = "UBND Quận 3 và UBND huyện Tuy Đức ký biên bản ghi nhớ hợp tác ngày 12/3/2024"
    nodes = localities(doc, q) + [
        _node(doc, "org:ubnd-q3", "Organization", "Ủy ban nhân dân Quận 3", q, category="PeopleCommittee",
              aliases=["UBND Quận 3"]),
        _node(doc, "org:ubnd-tuyduc", "Organization", "Ủy ban nhân dân huyện Tuy Đức", q, category="PeopleCommittee"),
        _node(doc, "agr:q3-tuyduc", "Agreement", "Biên bản ghi nhớ hợp tác giữa Quận 3 và huyện Tuy Đức", q,
              agreement_type="Biên bản ghi nhớ", date_signed="2024-03-12", period="2024-2025"),
        _node(doc, "sector:an-sinh-xa-hoi", "Sector", "an sinh xã hội", q),
        _node(doc, "sector:van-hoa", "Sector", "văn hóa", q),
        _node(doc, "person:q3-chair", "Person", "Phạm Văn Mẫu", q, phones=[]),
    ]
    rels = [
        _rel(doc, "PART_OF", "loc:79-770", "loc:79", q),
        _rel(doc, "PART_OF", "loc:67-667", "loc:67", q),
        _rel(doc, "OF", "org:ubnd-q3", "loc:79-770", q),
        _rel(doc, "OF", "org:ubnd-tuyduc", "loc:67-667", q),
        _rel(doc, "PARTY", "agr:q3-tuyduc", "org:ubnd-q3", q),
        _rel(doc, "PARTY", "agr:q3-tuyduc", "org:ubnd-tuyduc", q),
        _rel(doc, "COVERS", "agr:q3-tuyduc", "sector:an-sinh-xa-hoi", q),
        _rel(doc, "COVERS", "agr:q3-tuyduc", "sector:van-hoa", q),
        _rel(doc, "HOLDS", "person:q3-chair", "org:ubnd-q3", q, key="Chủ tịch", title="Chủ tịch", as_of="2024-03-12"),
    ]
    return DocumentGraph(document=doc, sha256="test-mou", nodes=nodes, relationships=rels)


def plan_document() -> DocumentGraph:
    """A plan of Đắk Nông with two appendix events led by its departments, contacts in TP.HCM."""
    doc = PLAN_DOC
    q = "Kế hoạch số 101/KH-UBND ngày 02/5/2024 của UBND tỉnh Đắk Nông"
    row1 = "1 | Hội chợ cà phê và nông sản Tây Nguyên | Sở Công Thương tỉnh Đắk Nông | Sở Công Thương Thành phố Hồ Chí Minh (Bà Lê Thị Mẫu - Phó phòng; 0901.234.567)"
    row2 = "2 | Tập huấn nuôi ong lấy mật | Sở Nông nghiệp và Phát triển nông thôn tỉnh Đắk Nông | Ông Trần Văn Thử - Chuyên viên; 0912.000.111"
    nodes = localities(doc, q) + [
        _node(doc, "doc:plan-101", "Document", "Kế hoạch 101/KH-UBND", q, doc_type="Kế hoạch", number="101/KH-UBND",
              date="2024-05-02", file=doc),
        _node(doc, "org:ubnd-dn", "Organization", "Ủy ban nhân dân tỉnh Đắk Nông", q, category="PeopleCommittee",
              aliases=["UBND tỉnh Đắk Nông"]),
        _node(doc, "org:sct-dn", "Organization", "Sở Công Thương tỉnh Đắk Nông", row1, category="Department"),
        _node(doc, "org:sct-hcm", "Organization", "Sở Công Thương Thành phố Hồ Chí Minh", row1, category="Department"),
        _node(doc, "org:snn-dn", "Organization", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Đắk Nông", row2,
              category="Department", aliases=["Sở NN&PTNT tỉnh Đắk Nông"]),
        _node(doc, "agr:hcm-dn", "Agreement", "Thỏa thuận hợp tác giữa Thành phố Hồ Chí Minh và tỉnh Đắk Nông", q,
              agreement_type="Thỏa thuận hợp tác", date_signed="2023-12-20"),
        _node(doc, "sector:thuong-mai", "Sector", "thương mại", row1),
        _node(doc, "sector:nong-nghiep", "Sector", "nông nghiệp", row2),
        _node(doc, "task:hoi-cho", "Task", "Hội chợ cà phê và nông sản Tây Nguyên", row1, number="1",
              timeframe="2024-09", place="Thành phố Hồ Chí Minh", deliverable="Hội chợ"),
        _node(doc, "task:ong", "Task", "Tập huấn nuôi ong lấy mật", row2, number="2", timeframe="2024",
              place="Tỉnh Đắk Nông", deliverable="Lớp tập huấn"),
        _node(doc, "person:le-thi-mau", "Person", "Lê Thị Mẫu", row1, phones=["0901.234.567"], honorific="Bà"),
        _node(doc, "person:tran-van-thu", "Person", "Trần Văn Thử", row2, phones=["0912.000.111"], honorific="Ông"),
        _node(doc, "person:q3-chair", "Person", "Phạm Văn Mẫu", q, phones=["0987.654.321"]),
        _node(doc, "org:ubnd-q3", "Organization", "Ủy ban nhân dân Quận 3", q, category="PeopleCommittee"),
    ]
    rels = [
        _rel(doc, "PART_OF", "loc:79-770", "loc:79", q),
        _rel(doc, "PART_OF", "loc:67-667", "loc:67", q),
        _rel(doc, "OF", "org:ubnd-dn", "loc:67", q),
        _rel(doc, "OF", "org:sct-dn", "loc:67", row1),
        _rel(doc, "OF", "org:sct-hcm", "loc:79", row1),
        _rel(doc, "OF", "org:snn-dn", "loc:67", row2),
        _rel(doc, "OF", "org:ubnd-q3", "loc:79-770", q),
        _rel(doc, "ISSUED_BY", "doc:plan-101", "org:ubnd-dn", q),
        _rel(doc, "IMPLEMENTS", "doc:plan-101", "agr:hcm-dn", q),
        _rel(doc, "PARTY", "agr:hcm-dn", "loc:79", q),
        _rel(doc, "PARTY", "agr:hcm-dn", "loc:67", q),
        _rel(doc, "COVERS", "agr:hcm-dn", "sector:thuong-mai", q),
        _rel(doc, "COVERS", "agr:hcm-dn", "sector:nong-nghiep", q),
        _rel(doc, "LISTED_IN", "task:hoi-cho", "doc:plan-101", row1),
        _rel(doc, "LISTED_IN", "task:ong", "doc:plan-101", row2),
        _rel(doc, "IMPLEMENTS", "task:hoi-cho", "agr:hcm-dn", row1),
        _rel(doc, "LED_BY", "task:hoi-cho", "org:sct-dn", row1),
        _rel(doc, "COORDINATED_BY", "task:hoi-cho", "org:sct-hcm", row1),
        _rel(doc, "LED_BY", "task:ong", "org:snn-dn", row2),
        _rel(doc, "COVERS", "task:hoi-cho", "sector:thuong-mai", row1),
        _rel(doc, "COVERS", "task:ong", "sector:nong-nghiep", row2),
        _rel(doc, "HELD_IN", "task:hoi-cho", "loc:79", row1),
        _rel(doc, "CONTACT", "task:hoi-cho", "person:le-thi-mau", row1, title="Phó phòng",
             organization="Sở Công Thương Thành phố Hồ Chí Minh", phone="0901.234.567"),
        _rel(doc, "CONTACT", "task:ong", "person:tran-van-thu", row2, title="Chuyên viên",
             organization="Sở Nông nghiệp và Phát triển nông thôn tỉnh Đắk Nông", phone="0912.000.111"),
        _rel(doc, "HOLDS", "person:le-thi-mau", "org:sct-hcm", row1, key="Phó phòng", title="Phó phòng", as_of="2024-05-02"),
        _rel(doc, "HOLDS", "person:tran-van-thu", "org:snn-dn", row2, key="Chuyên viên", title="Chuyên viên", as_of="2024-05-02"),
        _rel(doc, "HOLDS", "person:q3-chair", "org:ubnd-q3", q, key="Chủ tịch", title="Chủ tịch", as_of="2024-05-02"),
    ]
    return DocumentGraph(document=doc, sha256="test-plan", nodes=nodes, relationships=rels)


def hostile_document() -> DocumentGraph:
    """A document whose names carry HTML and script: pages must show them as text."""
    doc = "hostile.txt"
    q = "<script>window.__pwned=1</script> quote"
    nodes = [
        _node(doc, "loc:79", "Locality", "Thành phố Hồ Chí Minh", q, level="province", code="79",
              latitude=10.8231, longitude=106.6297),
        _node(doc, "org:evil", "Organization", "<script>window.__pwned=1</script>Sở <b>Thử</b>", q,
              category="Department"),
        _node(doc, "task:evil", "Task", "<img src=x onerror=\"window.__pwned=1\">Sự kiện thử", q, number="1"),
    ]
    rels = [
        _rel(doc, "OF", "org:evil", "loc:79", q),
        _rel(doc, "LED_BY", "task:evil", "org:evil", q),
    ]
    return DocumentGraph(document=doc, sha256="test-hostile", nodes=nodes, relationships=rels)


INVESTMENT_DOC = "plan_xtdt.txt"


def investment_document() -> DocumentGraph:
    """A short plan whose one event names its lead by abbreviation, with a contact in TP.HCM."""
    doc = INVESTMENT_DOC
    q = "1 | Hội nghị xúc tiến đầu tư và hỗ trợ doanh nghiệp tại Thành phố Hồ Chí Minh | Trung tâm XTĐT&HTDN | Bà Đỗ Thị Thử - Chuyên viên; 0933.000.222"
    nodes = [
        _node(doc, "loc:79", "Locality", "Thành phố Hồ Chí Minh", q, level="province", code="79",
              latitude=10.8231, longitude=106.6297, aliases=["TP.HCM"]),
        _node(doc, "org:xtdt-hcm", "Organization", "Trung tâm Xúc tiến đầu tư và Hỗ trợ doanh nghiệp Thành phố Hồ Chí Minh",
              q, category="Center", aliases=["Trung tâm XTĐT&HTDN"]),
        _node(doc, "task:xtdt", "Task", "Hội nghị xúc tiến đầu tư và hỗ trợ doanh nghiệp tại Thành phố Hồ Chí Minh", q,
              number="1", timeframe="2024-11"),
        _node(doc, "person:do-thi-thu", "Person", "Đỗ Thị Thử", q, phones=["0933.000.222"], honorific="Bà"),
        _node(doc, "sector:dau-tu", "Sector", "đầu tư", q),
    ]
    rels = [
        _rel(doc, "OF", "org:xtdt-hcm", "loc:79", q),
        _rel(doc, "LED_BY", "task:xtdt", "org:xtdt-hcm", q),
        _rel(doc, "HELD_IN", "task:xtdt", "loc:79", q),
        _rel(doc, "COVERS", "task:xtdt", "sector:dau-tu", q),
        _rel(doc, "CONTACT", "task:xtdt", "person:do-thi-thu", q, title="Chuyên viên",
             organization="Trung tâm Xúc tiến đầu tư và Hỗ trợ doanh nghiệp Thành phố Hồ Chí Minh", phone="0933.000.222"),
    ]
    return DocumentGraph(document=doc, sha256="test-xtdt", nodes=nodes, relationships=rels)


def isolated_document() -> DocumentGraph:
    """A document naming one sector and nothing else: a node no path reaches."""
    doc = "isolated.txt"
    return DocumentGraph(document=doc, sha256="test-isolated",
                         nodes=[_node(doc, "sector:y-te", "Sector", "y tế", "lĩnh vực y tế")])


def contact_list_document() -> DocumentGraph:
    """A contact list naming a position at a body it does not itself describe (investment_document does)."""
    doc = "contact_list.txt"
    q = "Bà Đỗ Thị Thử - Chuyên viên Trung tâm XTĐT&HTDN"
    nodes = [_node(doc, "person:do-thi-thu", "Person", "Đỗ Thị Thử", q, phones=["0933.000.222"])]
    rels = [_rel(doc, "HOLDS", "person:do-thi-thu", "org:xtdt-hcm", q, key="Chuyên viên", title="Chuyên viên")]
    return DocumentGraph(document=doc, sha256="test-contacts", nodes=nodes, relationships=rels)


def regional_document() -> DocumentGraph:
    """A regional agreement: TP.HCM (side 1, the convener) with two provinces (side 2)."""
    doc = "regional_agreement.txt"
    q = "Thỏa thuận hợp tác giữa Thành phố Hồ Chí Minh và các tỉnh Đắk Nông, Lâm Đồng"
    nodes = [
        _node(doc, "loc:79", "Locality", "Thành phố Hồ Chí Minh", q, level="province", code="79"),
        _node(doc, "loc:67", "Locality", "Tỉnh Đắk Nông", q, level="province", code="67"),
        _node(doc, "loc:68", "Locality", "Tỉnh Lâm Đồng", q, level="province", code="68"),
        _node(doc, "agr:hcm-vung", "Agreement", q, q, agreement_type="Thỏa thuận hợp tác", date_signed="2024-06-01"),
    ]
    rels = [
        _rel(doc, "PARTY", "agr:hcm-vung", "loc:79", q, side=1),
        _rel(doc, "PARTY", "agr:hcm-vung", "loc:67", q, side=2),
        _rel(doc, "PARTY", "agr:hcm-vung", "loc:68", q, side=2),
    ]
    return DocumentGraph(document=doc, sha256="test-regional", nodes=nodes, relationships=rels)


def plan_text() -> str:
    """The plan's own text as a reader would give it (two pages, the appendix a table on page 2),
    holding the quotes of ``plan_document`` among other lines."""
    rows = [["STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp"],
            ["1", "Hội chợ cà phê và nông sản Tây Nguyên", "Sở Công Thương tỉnh Đắk Nông",
             "Sở Công Thương Thành phố Hồ Chí Minh (Bà Lê Thị Mẫu - Phó phòng; 0901.234.567)"],
            ["2", "Tập huấn nuôi ong lấy mật", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Đắk Nông",
             "Ông Trần Văn Thử - Chuyên viên; 0912.000.111"]]
    blocks = [Block("heading", "KẾ HOẠCH", page=1),
              Block("paragraph", "Thực hiện <b>Thỏa thuận</b> hợp tác giữa hai địa phương.", page=1),
              Block("paragraph", "Căn cứ Kế hoạch số 101/KH-UBND ngày 02/5/2024 của UBND tỉnh Đắk Nông,\n"
                                 "các sở triển khai các nội dung tại Phụ lục.", page=1),
              Block("heading", "PHỤ LỤC", page=2),
              Block("table", rows=[[Cell(text) for text in row] for row in rows], page=2)]
    return Document(name=PLAN_DOC, source=PLAN_DOC, format="txt", blocks=blocks, pages=2).blocks_json()
