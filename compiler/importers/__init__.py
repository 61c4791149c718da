"""`gkml import`: Excel and Word catalog tables → catalog YAML, losing nothing.

readers (file I/O, after safety checks) → grid (cells + merges) → detect (tables, headers,
columns) → mapping (rows → items, notes) → assemble (catalog-level values, ids, source) →
yamlout (editable YAML) → report (the review list). Only readers and safety touch files.
"""

# Codes this package reports (review notes GK80x–GK82x, refusals GK849–GK859), for `gkml rules`.
PRODUCES = ("GK801", "GK802", "GK803", "GK804", "GK805", "GK806", "GK807", "GK808", "GK809", "GK810",
            "GK811", "GK812", "GK813", "GK814", "GK820", "GK821", "GK822", "GK823",
            "GK849", "GK850", "GK851", "GK852", "GK853", "GK854", "GK855", "GK856", "GK857", "GK858", "GK859")

# What each code means, for `gkml explain` (zh, en).
DOCS = {
    "GK801": ("导入:表格中的别称(特定群众、依申请公开、行政服务中心、口 代替 □、区级、镇街级 …)已改为标准写法,原文保存在 raw。",
              "import: a synonym in the table (特定群众, 依申请公开, 行政服务中心, 口 for □, 区级, 镇街级, …) was written in its canonical form; the original is in raw."),
    "GK802": ("导入:单元格中多余的空格、换行(如换行造成的“征收土 地信息”)已整理;整理后的文字写入字段,原文保存在 raw。",
              "import: stray spaces and line breaks (征收土 地信息) were cleaned; the field holds the cleaned text, raw the original."),
    "GK803": ("导入:合并单元格(或因合并丢失而空白的一级事项)的值已沿用到本行。",
              "import: the value of a merged cell (or of a 一级事项 left blank where a merge was lost) was repeated on this row."),
    "GK804": ("导入:■/□ 渠道清单中某个渠道前没有标记(常见于 ■ 在转换中丢失),按 ■(已使用)处理。",
              "import: a channel of a ■/□ list had no mark (■ is often lost in conversion) and was taken as used."),
    "GK805": ("导入:渠道单元格照抄了模板的全部渠道,只有 ■ 的渠道视为使用,□ 视为未选用。",
              "import: the channel cell lists the whole template; only ■ channels are taken as used, □ as not used."),
    "GK806": ("导入:√ 以外的勾选符号(✓ ✔ 是 ● …)视为勾选。", "import: a tick other than √ (✓ ✔ 是 ● …) was taken as a tick."),
    "GK807": ("导入:一个单元格中的多条公开依据已拆分为列表。", "import: several legal bases in one cell were split into a list."),
    "GK808": ("导入:列表项前的编号(1. ① (一))已去掉。", "import: list numbers (1. ① (一)) were removed."),
    "GK809": ("导入:不在模板中的渠道(如 12345政务服务热线)记为“其他:…”。",
              "import: a channel that is not a template channel (e.g. 12345政务服务热线) was written as 其他:…."),
    "GK810": ("导入:地区、层级、领域、编制单位或版本没有在命令行或“目录信息”中给出,而是从标题、工作表名、文件名或事项中推断。",
              "import: region, level, area, compiling unit or version was inferred from a title, sheet name, file name or the items."),
    "GK811": ("导入:表格中不是事项的文字(附件号、注释、落款)保存在目录的 notes 中。",
              "import: text of the table that is not a matter (annex number, footnote) was kept in the catalog's notes."),
    "GK812": ("导入:分页重复的表头行已跳过。", "import: a header row repeated on a new page was skipped."),
    "GK813": ("导入:带空格或换行的表头(公开 时限)已识别为标准列名。", "import: a header label with spaces or line breaks (公开 时限) was recognised."),
    "GK814": ("导入:Word 中被拆成两个的表格(续表没有表头)已合并为一个目录。",
              "import: a Word table split in two (the second without a header) was read as one table."),
    "GK820": ("导入:不认识的列,其单元格原文保存在每个事项的 raw 中。", "import: an unknown column; its cells are kept in each item's raw."),
    "GK821": ("导入:无法识别的单元格内容(如勾选列中的文字),原文保存在 raw 中。",
              "import: a cell that could not be read (e.g. text in a tick column); kept in raw."),
    "GK822": ("导入:公开对象或公开方式勾选了多项,取第一项,其余保存在 raw 中。",
              "import: several ticks for audience or method; the first was taken, the others kept in raw."),
    "GK823": ("导入:工作表或表格中没有目录表头(如封面、说明页),未导入。",
              "import: a sheet or table without a catalog header (a cover or notes page) was not imported."),
    "GK849": ("导入:给出的文件不存在。", "import: the given file does not exist."),
    "GK850": ("导入:只读取 .xlsx 和 .docx;旧版 .xls / .doc 需要另存为新格式。",
              "import: only .xlsx and .docx are read; save old .xls / .doc files in the new format."),
    "GK851": ("导入:文件损坏,或内容不是 Office 文件(含有 DTD 声明的文件也按损坏处理,防止实体扩展攻击)。",
              "import: the file is damaged or not an Office file (a DTD is refused too, against entity expansion)."),
    "GK852": ("导入:设置了打开密码的文件是加密的,无法读取。", "import: a password-protected file is encrypted and cannot be read."),
    "GK853": ("导入:解压后大小或压缩比超过上限(在解压前按压缩包目录检查),防止压缩炸弹。",
              "import: the unpacked size or compression ratio is over the limit (checked before unpacking), against zip bombs."),
    "GK854": ("导入:含宏(VBA)的文件不导入,以免把宏代码带入工作流程。", "import: files with macros (VBA) are refused."),
    "GK855": ("导入:含外部链接的工作簿不导入:链接单元格的值来自别的文件,可能已过期。",
              "import: workbooks linking to other files are refused: linked values come from elsewhere and may be stale."),
    "GK856": ("导入:工作表或表格的行列数超过上限(50000 行、200 列)。", "import: a sheet or table is over the size limit (50000 rows, 200 columns)."),
    "GK857": ("导入:文件中没有可识别的目录表头(需要公开事项和公开内容、公开依据等列名)。",
              "import: no catalog header in the file (a matter column and columns such as 公开内容, 公开依据)."),
    "GK858": ("导入:不覆盖已存在的文件,除非加 --force。", "import: existing files are not overwritten without --force."),
    "GK859": ("导入:无法从表格确定目录的地区、领域或编制单位时,需要在命令行给出。",
              "import: region, area or compiling unit cannot be told from the table and must be given on the command line."),
}
