"""The default rubric of DOMAIN.md ("Evaluation as practised"): criteria, tiers and names.

Titles are data shown as written, in Vietnamese (not translated). ``rubric_create_default``
builds a rubric from them.
"""

from decimal import Decimal

from .enums import RubricAppliesTo

# DOMAIN.md, "Evaluation as practised". Titles are data shown as written, in Vietnamese.
DEFAULT_COLLECTIVE_CRITERIA = [
    (
        "I. Nội dung mô hình",
        "Tính cụ thể: tên gọi, địa chỉ, mục tiêu, sản phẩm đầu ra; đúng lĩnh vực",
        "Điểm tối đa khi mô hình có tên gọi, địa chỉ áp dụng, mục tiêu và sản phẩm đầu ra rõ "
        "ràng, kiểm chứng được, đúng lĩnh vực đăng ký.",
        Decimal("15"),
    ),
    (
        "I. Nội dung mô hình",
        "Sự lãnh đạo của cấp ủy; sự phối hợp của chính quyền, Mặt trận và các đoàn thể",
        "Điểm tối đa khi cấp ủy có nghị quyết, kế hoạch chỉ đạo và chính quyền, Mặt trận, các "
        "đoàn thể phân công, phối hợp thực hiện cụ thể.",
        Decimal("15"),
    ),
    (
        "I. Nội dung mô hình",
        "Tính sáng tạo; tiết kiệm thời gian, chi phí",
        "Điểm tối đa khi cách làm mới, phù hợp thực tiễn địa phương, tiết kiệm thời gian và "
        "kinh phí so với cách làm trước.",
        Decimal("15"),
    ),
    (
        "II. Hiệu quả",
        "Hiệu quả kinh tế – xã hội, quốc phòng – an ninh đo đếm được",
        "Điểm tối đa khi kết quả đạt hoặc vượt mục tiêu, có số liệu, minh chứng cụ thể.",
        Decimal("25"),
    ),
    (
        "II. Hiệu quả",
        "Sự đồng thuận, tham gia của Nhân dân; hài hòa lợi ích",
        "Điểm tối đa khi Nhân dân đồng thuận, tích cực tham gia, đóng góp và lợi ích của Nhà "
        "nước, tập thể, người dân được hài hòa.",
        Decimal("15"),
    ),
    (
        "III. Tính bền vững",
        "Tính bền vững và khả năng nhân rộng",
        "Điểm tối đa khi mô hình duy trì được lâu dài và đã hoặc có thể nhân rộng ở nơi khác.",
        Decimal("15"),
    ),
]
DEFAULT_INDIVIDUAL_CRITERIA = [
    (
        "Tiêu chuẩn",
        "Gương mẫu, tiêu biểu của bản thân và gia đình",
        "Điểm tối đa khi bản thân và gia đình gương mẫu chấp hành chủ trương của Đảng, chính "
        "sách, pháp luật của Nhà nước và quy định của địa phương.",
        Decimal("20"),
    ),
    (
        "Tiêu chuẩn",
        "Có ý tưởng, sáng kiến, cách làm hay được đề xuất và áp dụng",
        "Điểm tối đa khi ý tưởng, sáng kiến được áp dụng và mang lại kết quả cụ thể.",
        Decimal("20"),
    ),
    (
        "Tiêu chuẩn",
        "Giải quyết được những vấn đề khó, tồn đọng kéo dài ở cơ sở",
        "Điểm tối đa khi góp phần giải quyết dứt điểm việc khó, tồn đọng lâu ngày.",
        Decimal("20"),
    ),
    (
        "Tiêu chuẩn",
        "Tận tụy, hết lòng phục vụ Nhân dân",
        "Điểm tối đa khi được Nhân dân tin yêu, ghi nhận sự tận tụy, trách nhiệm.",
        Decimal("20"),
    ),
    (
        "Tiêu chuẩn",
        "Gia đình đạt danh hiệu “Gia đình văn hóa” hằng năm; hoàn thành tốt nhiệm vụ được giao",
        "Điểm tối đa khi gia đình đạt danh hiệu hằng năm và bản thân hoàn thành tốt nhiệm vụ.",
        Decimal("20"),
    ),
]
DEFAULT_TIERS = [
    ("Xuất sắc", Decimal("90")),
    ("Tốt", Decimal("80")),
    ("Khá", Decimal("65")),
    ("Đạt", Decimal("50")),
    ("Không đạt", Decimal("0")),
]
DEFAULT_NAMES = {
    RubricAppliesTo.COLLECTIVE: "Bộ tiêu chí chấm mô hình, điển hình tập thể “Dân vận khéo”",
    RubricAppliesTo.INDIVIDUAL: "Bộ tiêu chí chấm điển hình cá nhân “Dân vận khéo”",
}
