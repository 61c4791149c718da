#!/usr/bin/env python3
"""Generate a deterministic, province-scale gkml project tree for tests and benchmarks.

Usage:
    python benchmarks/generate.py --scale {tiny,tenth,county,full} --out DIR [--errors PCT] [--seed N] [--force]

Writes DIR/catalogs/registry/{regions,areas,units,requirements,documents}.yaml and
DIR/catalogs/<region code>/<area slug>.yaml in the format of docs/format.md; a township's
catalogs are either one file per area or one DIR/catalogs/<code>/catalog.yaml with a section per
area (benchmarks/townships.py, both shapes mixed as counties publish them).

* full  : 安徽省, 16 cities, 104 counties + 1 development zone, 30 key areas, and 1,483
          townships (乡镇/街道) covering 10-20 of the 23 township-level areas each
          (14,599 files, 709,631 matters; the county-level part is --scale county)
* county: the same province without its townships (122 regions x 30 = 3,660 files, 202,245
          matters), byte for byte the tree measured before issue 22, so its figures compare
* tenth : 安徽省, 宿州市 (5 counties + 宿州经济技术开发区), 六安市 (7 counties), 30 areas, and
          their townships (1,747 files, ~70,000 matters)
* tiny  : 安徽省, 宿州市, 砀山县, 萧县, 3 areas, 3 townships a county (both shapes), ~10 matters
          per file (for the test suite)

Without --errors the tree is clean: every vertical-chain and horizontal rule of the catalog
format holds.  With --errors PCT, PCT percent of all matters (chosen from --seed) carry exactly
one realistic fault, cycling through FAULT_KINDS; the faults are listed in DIR/faults.tsv
(outside catalogs/, so a check of the catalogs never reads it).

The same arguments always give byte-identical files: all randomness comes from
random.Random seeded with strings, iteration is ordered, nothing depends on time or hashing.
YAML is written with plain string formatting (no dumper) for speed.
"""

import argparse
import gc
import json
import random
import re
import shutil
import sys
import time
from pathlib import Path

# --------------------------------------------------------------------------------------------
# Vocabularies (docs/format.md, DOMAIN.md §3)

CHANNELS = ["政府网站", "政府公报", "两微一端", "发布会/听证会", "广播电视", "纸质媒体", "公开查阅点",
            "政务服务中心", "便民服务站", "入户/现场", "社区/企事业单位/村公示栏(电子屏)", "精准推送",
            # the grassroots channels (only townships' items use them), then 其他
            "12345政务服务热线", "明白纸", "大喇叭/应急广播", "微信群", "其他"]
CH_RANK = {c: i for i, c in enumerate(CHANNELS)}
BULLETIN = "社区/企事业单位/村公示栏(电子屏)"

LEVELS = ["省级", "市级", "县级", "乡级", "村级"]
LV_RANK = {c: i for i, c in enumerate(LEVELS)}
LEVEL_CN = {"province": "省级", "city": "市级", "county": "县级", "township": "乡级"}

VERSION = "2024.1"
EFFECTIVE = "2024-03-01"
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/catalog.schema.json"

REGULATION = "《中华人民共和国政府信息公开条例》(国务院令第711号)"

# --------------------------------------------------------------------------------------------
# Legal floor: 政府信息公开条例 arts. 20 and 21 (paraphrased)

ALL4 = ["province", "city", "county", "township"]
REQUIREMENTS = [
    ("art20-01", "第二十条第(一)项", "行政法规、规章和规范性文件", ALL4),
    ("art20-02", "第二十条第(二)项", "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名", ALL4),
    ("art20-03", "第二十条第(三)项", "国民经济和社会发展规划、专项规划、区域规划及相关政策", ALL4),
    ("art20-04", "第二十条第(四)项", "国民经济和社会发展统计信息", ALL4),
    ("art20-05", "第二十条第(五)项", "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果", ALL4),
    ("art20-06", "第二十条第(六)项", "实施行政处罚、行政强制的依据、条件、程序以及具有一定社会影响的行政处罚决定", ALL4),
    ("art20-07", "第二十条第(七)项", "财政预算、决算信息", ALL4),
    ("art20-08", "第二十条第(八)项", "行政事业性收费项目及其依据、标准", ALL4),
    ("art20-09", "第二十条第(九)项", "政府集中采购项目的目录、标准及实施情况", ALL4),
    ("art20-10", "第二十条第(十)项", "重大建设项目的批准和实施情况", ALL4),
    ("art20-11", "第二十条第(十一)项", "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况", ALL4),
    ("art20-12", "第二十条第(十二)项", "突发公共事件的应急预案、预警信息及应对情况", ALL4),
    ("art20-13", "第二十条第(十三)项", "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况", ALL4),
    ("art20-14", "第二十条第(十四)项", "公务员招考的职位、名额、报考条件等事项以及录用结果", ["province", "city", "county"]),
    ("art20-15", "第二十条第(十五)项", "法律、法规、规章和国家有关规定应当主动公开的其他政府信息", ALL4),
    ("art21-01", "第二十一条", "市政建设", ["city", "county"]),
    ("art21-02", "第二十一条", "公共服务", ["city", "county"]),
    ("art21-03", "第二十一条", "公益事业", ["city", "county"]),
    ("art21-04", "第二十一条", "土地征收", ["city", "county"]),
    ("art21-05", "第二十一条", "房屋征收", ["city", "county"]),
    ("art21-06", "第二十一条", "治安管理", ["city", "county"]),
    ("art21-07", "第二十一条", "社会救助", ["city", "county"]),
    ("art21-11", "第二十一条", "贯彻落实农业农村政策", ["township"]),
    ("art21-12", "第二十一条", "农田水利工程建设运营", ["township"]),
    ("art21-13", "第二十一条", "农村土地承包经营权流转", ["township"]),
    ("art21-14", "第二十一条", "宅基地使用情况审核", ["township"]),
    ("art21-15", "第二十一条", "土地征收", ["township"]),
    ("art21-16", "第二十一条", "房屋征收", ["township"]),
    ("art21-17", "第二十一条", "筹资筹劳", ["township"]),
    ("art21-18", "第二十一条", "社会救助", ["township"]),
]
REQ_LEVELS = {r[0]: set(r[3]) for r in REQUIREMENTS}
REQ_KEYWORDS = {
    "art20-01": ["规范性文件", "政策文件"], "art20-02": ["机构职能", "联系方式"], "art20-03": ["规划"],
    "art20-04": ["统计"], "art20-05": ["行政许可", "办事指南", "审批"], "art20-06": ["行政处罚", "行政强制"],
    "art20-07": ["预算", "决算"], "art20-08": ["收费"], "art20-09": ["政府采购"], "art20-10": ["重大建设项目"],
    "art20-11": ["扶贫", "教育", "医疗", "社会保障", "就业"], "art20-12": ["应急预案", "预警"],
    "art20-13": ["监督检查", "抽检"], "art20-14": ["公务员"], "art20-15": [],
    "art21-01": ["市政"], "art21-02": ["公共服务"], "art21-03": ["公益"], "art21-04": ["征地", "土地征收"],
    "art21-05": ["房屋征收"], "art21-06": ["治安"], "art21-07": ["救助", "低保"],
    "art21-11": ["农业农村"], "art21-12": ["农田水利"], "art21-13": ["土地承包", "流转"], "art21-14": ["宅基地"],
    "art21-15": ["征地", "土地征收"], "art21-16": ["房屋征收"], "art21-17": ["筹资筹劳"], "art21-18": ["救助", "低保"],
}

# --------------------------------------------------------------------------------------------
# Sub-matter (二级事项) types: name, stage (过程), content elements (要素), matter kinds it fits
# (S = service/benefit, R = regulatory, G = general information).

SUBTYPES = [
    ("政策文件", "决策", ["法律法规", "部门规章", "规范性文件", "配套实施细则", "工作方案", "管理办法"], "SRG"),
    ("政策解读", "决策", ["出台背景", "主要内容", "政策亮点", "适用范围", "执行时间", "解读机关", "咨询电话"], "SRG"),
    ("规划计划", "决策", ["规划名称", "编制依据", "规划目标", "主要任务", "重点项目", "保障措施"], "G"),
    ("收费标准", "决策", ["收费项目", "收费依据", "收费标准", "收费对象", "减免政策", "监督电话"], "SR"),
    ("办事指南", "服务", ["事项名称", "受理部门", "办理条件", "办理流程", "所需材料", "办理时限", "收费标准",
                      "办理地点", "咨询电话"], "SRG"),
    ("申请条件", "服务", ["申请对象", "申请条件", "认定标准", "申请材料", "受理地点", "受理时间"], "S"),
    ("办理流程", "服务", ["申请", "受理", "审核", "公示", "审批", "办结", "流程图", "办理时限"], "SR"),
    ("投诉举报", "服务", ["受理渠道", "受理范围", "投诉电话", "电子邮箱", "办理流程", "办理时限", "处理结果"], "SRG"),
    ("实施情况", "执行", ["年度目标", "实施进展", "资金安排", "完成情况", "绩效评价", "整改措施"], "SG"),
    ("资金分配", "执行", ["资金来源", "分配依据", "分配标准", "分配结果", "拨付进度", "使用情况"], "SG"),
    ("工作动态", "执行", ["工作部署", "会议活动", "进展情况", "典型经验", "工作成效"], "SRG"),
    ("监督检查", "管理", ["检查计划", "检查对象", "检查事项", "检查依据", "检查结果", "整改情况"], "RG"),
    ("审批结果", "结果", ["审批事项", "申请单位", "审批结果", "审批文号", "审批日期", "有效期限"], "R"),
    ("行政处罚", "结果", ["处罚对象", "违法事实", "处罚依据", "处罚种类", "处罚结果", "处罚机关", "处罚日期"], "R"),
    ("名单公示", "结果", ["对象姓名", "所属村(社区)", "保障人数", "补助标准", "发放金额", "监督电话"], "S"),
    ("统计数据", "结果", ["统计指标", "统计口径", "统计周期", "数据来源", "数据解读", "分析报告"], "G"),
    ("年度报告", "结果", ["年度工作总结", "主要指标", "工作成效", "存在问题", "下一年度计划"], "RG"),
    ("机构职能", "管理", ["机构职能", "内设机构", "办公地址", "办公时间", "联系方式", "负责人姓名"], ""),
]
SUB = {s[0]: s for s in SUBTYPES}
SUB_RANK = {s[0]: i for i, s in enumerate(SUBTYPES)}

REG_WORDS = re.compile("许可|审批|审查|执业|注册|认定|备案|管理|监管|执法|检查|监督|抽检|登记|评价|评估|处罚|鉴定|核准|考核")
SVC_WORDS = re.compile("补贴|救助|保障|补助|资助|津贴|服务|援助|帮扶|保险|供养|待遇|抚养|贷款|招生|招聘|就业|养老|救灾|安置|补偿|奖励|培训|接种")

# --------------------------------------------------------------------------------------------
# Key areas (annex 2 of seed 000): name, slug, lead stem, aliases, matters ("name@stem" when a
# cooperating unit is responsible), bases.

AREAS = [
    ("公共资源交易", "public-resource-trading", "发展改革", [],
     ["交易制度规则", "交易平台信息", "工程建设项目招标投标@住房和城乡建设", "政府采购@财政", "土地使用权出让@自然资源",
      "矿业权出让@自然资源", "国有产权交易", "交易主体信息", "交易过程信息", "交易结果信息", "交易监督管理", "评标专家管理"],
     ["《中华人民共和国招标投标法》(主席令第21号)", "《中华人民共和国招标投标法实施条例》(国务院令第613号)",
      "《中华人民共和国政府采购法》(主席令第68号)", "《公共资源交易平台管理暂行办法》(国家发展改革委令第39号)",
      "《关于深化公共资源交易平台整合共享的指导意见》(国办函〔2019〕41号)"]),
    ("重大建设项目批准和实施", "major-projects", "发展改革", ["重大建设项目"],
     ["项目批准服务", "项目审批信息", "项目核准信息", "项目备案信息", "节能审查", "规划选址@自然资源", "用地审批@自然资源",
      "环境影响评价@生态环境", "施工许可@住房和城乡建设", "项目招标投标信息", "重大设计变更", "竣工验收信息"],
     ["《企业投资项目核准和备案管理条例》(国务院令第673号)", "《政府投资条例》(国务院令第712号)",
      "《国务院办公厅关于推进重大建设项目批准和实施领域政府信息公开的意见》(国办发〔2017〕94号)",
      "《中华人民共和国城乡规划法》(主席令第74号)"]),
    ("价格与收费", "prices-and-fees", "发展改革", [],
     ["定价目录", "政府定价", "价格听证", "行政事业性收费@财政", "涉企收费清单", "价格监测", "成本监审", "价格监督检查@市场监管",
      "收费公路管理", "居民阶梯价格", "农产品成本调查"],
     ["《中华人民共和国价格法》(主席令第92号)", "《政府制定价格行为规则》(国家发展改革委令第7号)",
      "《政府制定价格听证办法》(国家发展改革委令第2号)", "《政府制定价格成本监审办法》(国家发展改革委令第8号)",
      "《价格违法行为行政处罚规定》(国务院令第585号)"]),
    ("教育信息", "education", "教育", ["教育"],
     ["义务教育招生", "普通高中招生", "学前教育", "学生资助", "教育经费@财政", "学校基本信息", "教师资格认定", "教师招聘",
      "民办学校审批", "校外培训监管", "中小学收费", "督导评估"],
     ["《中华人民共和国教育法》(主席令第39号)", "《中华人民共和国义务教育法》(主席令第52号)",
      "《中华人民共和国民办教育促进法实施条例》(国务院令第741号)", "《教师资格条例》(国务院令第188号)",
      "《教育督导条例》(国务院令第624号)"]),
    ("科技管理和项目", "science-technology", "科技", ["科技管理"],
     ["科技计划项目", "科学技术奖励", "高新技术企业认定", "科技型中小企业评价", "科技成果转化", "创新平台建设", "科研诚信建设",
      "技术合同登记", "科技特派员", "科技资金管理@财政", "科学技术普及"],
     ["《中华人民共和国科学技术进步法》(主席令第103号)", "《中华人民共和国促进科技成果转化法》(主席令第32号)",
      "《国家科学技术奖励条例》(国务院令第731号)", "《高新技术企业认定管理办法》(国科发火〔2016〕32号)"]),
    ("工业和信息化", "industry", "经济和信息化", [],
     ["工业产业政策", "技术改造项目", "企业技术中心认定", "专精特新企业", "节能监察", "无线电管理", "工业园区建设",
      "民营经济发展", "中小企业服务", "制造业数字化转型", "新型工业化示范", "企业减负工作"],
     ["《中华人民共和国中小企业促进法》(主席令第77号)", "《中华人民共和国节约能源法》(主席令第16号)",
      "《中华人民共和国无线电管理条例》(国务院、中央军委令第672号)", "《保障中小企业款项支付条例》(国务院令第728号)",
      "《优化营商环境条例》(国务院令第722号)"]),
    ("治安管理", "public-security", "公安", ["户政服务"],
     ["户籍管理", "居民身份证办理", "居住证办理", "治安管理处罚", "特种行业许可", "大型活动安全许可", "枪支管理",
      "烟花爆竹运输", "保安服务管理", "剧毒化学品购买", "犯罪记录查询", "治安状况通报"],
     ["《中华人民共和国治安管理处罚法》(主席令第67号)", "《中华人民共和国居民身份证法》(主席令第51号)",
      "《居住证暂行条例》(国务院令第663号)", "《大型群众性活动安全管理条例》(国务院令第505号)",
      "《保安服务管理条例》(国务院令第564号)", "《烟花爆竹安全管理条例》(国务院令第455号)"]),
    ("社会救助与社会福利", "social-assistance", "民政", ["社会救助"],
     ["最低生活保障", "特困人员救助供养", "临时救助", "流浪乞讨人员救助", "残疾人两项补贴", "孤儿基本生活保障",
      "困境儿童保障", "事实无人抚养儿童", "高龄津贴发放", "低收入人口认定", "救助资金管理@财政", "殡葬服务管理"],
     ["《社会救助暂行办法》(国务院令第649号)", "《最低生活保障审核确认办法》(民发〔2021〕57号)",
      "《特困人员认定办法》(民发〔2021〕43号)", "《城市生活无着的流浪乞讨人员救助管理办法》(国务院令第381号)",
      "《安徽省社会救助办法》(安徽省人民政府令第279号)"]),
    ("养老服务", "elderly-care", "民政", [],
     ["养老机构备案", "养老服务补贴", "居家社区养老", "养老机构等级评定", "养老服务设施建设", "特殊困难老年人探访",
      "医养结合服务@卫生健康", "老年人能力评估", "养老服务质量监管", "养老护理员培训", "老年助餐服务"],
     ["《中华人民共和国老年人权益保障法》(主席令第24号)", "《养老机构管理办法》(民政部令第66号)",
      "《安徽省养老服务条例》(安徽省人民代表大会常务委员会公告第42号)"]),
    ("公共法律服务", "public-legal-services", "司法", [],
     ["法律援助", "人民调解", "公证服务", "司法鉴定管理", "律师执业管理", "基层法律服务", "法治宣传教育", "社区矫正",
      "安置帮教", "行政复议", "行政执法监督", "司法行政机构"],
     ["《中华人民共和国法律援助法》(主席令第93号)", "《中华人民共和国人民调解法》(主席令第34号)",
      "《中华人民共和国公证法》(主席令第39号)", "《中华人民共和国社区矫正法》(主席令第40号)",
      "《中华人民共和国行政复议法》(主席令第9号)"]),
    ("财政资金", "public-finance", "财政", ["财政预决算"],
     ["财政预算", "财政决算", "部门预决算", "三公经费", "政府债务", "转移支付", "政府采购监管", "惠民惠农资金",
      "财政专项资金", "国有资产报告", "预算绩效管理", "政府购买服务"],
     ["《中华人民共和国预算法》(主席令第22号)", "《中华人民共和国预算法实施条例》(国务院令第729号)",
      "《地方预决算公开操作规程》(财预〔2016〕143号)", "《地方政府债务信息公开办法(试行)》(财预〔2018〕209号)"]),
    ("涉农补贴", "agricultural-subsidies", "财政", [],
     ["耕地地力保护补贴", "农机购置补贴@农业农村", "种粮农民补贴", "农业保险保费补贴", "生猪调出大县奖励@农业农村",
      "高标准农田建设@农业农村", "农业社会化服务@农业农村", "退耕还林补助", "渔业发展补助@农业农村", "补贴资金发放",
      "补贴政策清单", "惠民惠农一卡通"],
     ["《农业相关转移支付资金管理办法》(财农〔2023〕11号)", "《农业机械购置补贴实施指导意见》(农办计财〔2021〕8号)",
      "《关于全面推进惠民惠农财政补贴资金“一卡通”管理的指导意见》(财农〔2020〕47号)"]),
    ("就业创业", "employment", "人力资源和社会保障", [],
     ["就业政策法规", "就业援助", "职业介绍", "职业技能培训", "创业担保贷款", "一次性创业补贴", "公益性岗位",
      "高校毕业生就业", "失业登记", "人力资源市场", "公务员招录", "劳动保障监察"],
     ["《中华人民共和国就业促进法》(主席令第70号)", "《就业服务与就业管理规定》(劳动和社会保障部令第28号)",
      "《保障农民工工资支付条例》(国务院令第724号)", "《中华人民共和国公务员法》(主席令第20号)"]),
    ("社会保险", "social-insurance", "人力资源和社会保障", [],
     ["养老保险参保", "养老保险待遇", "城乡居民养老保险", "工伤保险认定", "失业保险金", "社保卡办理", "基本医疗保险@医保",
      "生育保险@医保", "社会保险稽核", "社保基金管理", "企业年金", "被征地农民养老保障"],
     ["《中华人民共和国社会保险法》(主席令第35号)", "《工伤保险条例》(国务院令第586号)", "《失业保险条例》(国务院令第258号)",
      "《社会保险经办条例》(国务院令第765号)"]),
    ("土地征收", "land-expropriation", "自然资源", [],
     ["征收土地预公告", "土地现状调查", "社会稳定风险评估", "征地补偿安置方案", "征地补偿登记", "征收土地公告",
      "征地批准信息", "补偿款支付", "区片综合地价", "征地社会保障费用@人力资源和社会保障", "征地听证", "用地报批"],
     ["《中华人民共和国土地管理法》(主席令第32号)", "《中华人民共和国土地管理法实施条例》(国务院令第743号)",
      "《安徽省实施〈中华人民共和国土地管理法〉办法》(安徽省人民代表大会常务委员会公告第56号)"]),
    ("污染防治", "pollution-control", "生态环境", ["环境保护"],
     ["环境质量状况", "大气污染防治", "水污染防治", "土壤污染防治", "固体废物管理", "排污许可", "环评审批",
      "环境执法监管", "突发环境事件", "重点排污单位", "生态环境保护督察", "环境信访处理"],
     ["《中华人民共和国环境保护法》(主席令第9号)", "《中华人民共和国大气污染防治法》(主席令第31号)",
      "《排污许可管理条例》(国务院令第736号)", "《企业环境信息依法披露管理办法》(生态环境部令第24号)"]),
    ("国有土地上房屋征收与补偿", "housing-expropriation", "住房和城乡建设", ["房屋征收"],
     ["房屋征收决定", "征收补偿方案", "房屋调查登记", "房屋价值评估", "补偿安置结果", "征收范围公告", "征收补偿协议",
      "征收资金使用", "房屋征收部门", "征收实施单位", "征收社会稳定评估", "强制执行申请"],
     ["《国有土地上房屋征收与补偿条例》(国务院令第590号)", "《国有土地上房屋征收评估办法》(建房〔2011〕77号)",
      "《安徽省国有土地上房屋征收与补偿办法》(安徽省人民政府令第248号)"]),
    ("住房保障", "housing-security", "住房和城乡建设", [],
     ["公租房保障", "保障性租赁住房", "棚户区改造", "共有产权住房", "住房租赁补贴", "城镇老旧小区改造", "农村危房改造",
      "住房公积金", "保障房分配", "保障对象资格审核", "保障房租金标准", "保障房退出管理"],
     ["《公共租赁住房管理办法》(住房和城乡建设部令第11号)", "《国务院办公厅关于加快发展保障性租赁住房的意见》(国办发〔2021〕22号)",
      "《住房公积金管理条例》(国务院令第710号)"]),
    ("交通运输", "transport", "交通运输", [],
     ["道路运输许可", "客运班线管理", "出租汽车管理", "交通建设工程", "农村公路建设", "公路超限运输", "驾驶员培训",
      "交通运输执法", "城市公交服务", "港航管理", "交通规划", "水路运输许可"],
     ["《中华人民共和国道路运输条例》(国务院令第406号)", "《中华人民共和国公路法》(主席令第81号)",
      "《农村公路建设管理办法》(交通运输部令2018年第4号)", "《巡游出租汽车经营服务管理规定》(交通运输部令2021年第16号)"]),
    ("农村土地承包经营权流转", "land-contract-transfer", "农业农村", ["土地流转"],
     ["土地承包政策", "承包经营权确权", "流转合同备案", "流转交易服务", "工商资本租赁", "流转纠纷调解", "承包经营权证",
      "土地流转价格", "规模经营主体", "土地托管服务", "流转风险防范"],
     ["《中华人民共和国农村土地承包法》(主席令第17号)", "《农村土地经营权流转管理办法》(农业农村部令2021年第1号)",
      "《中华人民共和国农村土地承包经营纠纷调解仲裁法》(主席令第14号)"]),
    ("水利信息", "water-resources", "水利", ["水利"],
     ["水利工程建设", "取水许可", "河长制工作", "防汛抗旱", "水土保持", "水资源公报", "河道采砂管理", "农田水利建设",
      "农村饮水安全", "水行政执法", "水利工程运行", "水利规划"],
     ["《中华人民共和国水法》(主席令第74号)", "《取水许可和水资源费征收管理条例》(国务院令第460号)",
      "《中华人民共和国防汛条例》(国务院令第86号)", "《中华人民共和国水土保持法》(主席令第39号)"]),
    ("公共文化服务", "public-culture", "文化和旅游", [],
     ["公共文化设施", "文化惠民活动", "非物质文化遗产", "文物保护单位", "公共图书馆服务", "文化馆服务", "演出市场管理",
      "文化市场执法", "旅游景区管理", "旅行社管理", "公共数字文化", "群众文化活动"],
     ["《中华人民共和国公共文化服务保障法》(主席令第60号)", "《中华人民共和国公共图书馆法》(主席令第79号)",
      "《中华人民共和国非物质文化遗产法》(主席令第42号)", "《公共文化体育设施条例》(国务院令第382号)"]),
    ("基本医疗卫生", "basic-healthcare", "卫生健康", ["医疗卫生"],
     ["医疗机构执业", "医师执业注册", "基本公共卫生服务", "家庭医生签约", "疾病预防控制", "预防接种", "妇幼健康服务",
      "卫生监督执法", "医疗服务价格@医保", "计划生育特别扶助", "传染病疫情", "健康科普"],
     ["《中华人民共和国基本医疗卫生与健康促进法》(主席令第38号)", "《医疗机构管理条例》(国务院令第752号)",
      "《中华人民共和国传染病防治法》(主席令第17号)", "《中华人民共和国疫苗管理法》(主席令第30号)",
      "《中华人民共和国医师法》(主席令第94号)"]),
    ("救灾", "disaster-relief", "应急", [],
     ["应急预案", "灾害预警", "灾情信息", "救灾物资", "受灾群众救助", "灾后恢复重建", "自然灾害风险普查", "应急避难场所",
      "救灾资金", "防灾减灾宣传", "应急救援队伍", "地质灾害防治@自然资源"],
     ["《中华人民共和国突发事件应对法》(主席令第25号)", "《自然灾害救助条例》(国务院令第577号)",
      "《地质灾害防治条例》(国务院令第394号)", "《国家自然灾害救助应急预案》(国办函〔2024〕11号)"]),
    ("安全生产", "work-safety", "应急", [],
     ["安全生产许可", "危险化学品经营许可", "非煤矿山安全", "安全生产执法", "生产安全事故", "安全生产标准化",
      "重大事故隐患", "安全培训考核", "烟花爆竹经营许可", "安全生产责任制", "工贸行业安全", "安全生产举报"],
     ["《中华人民共和国安全生产法》(主席令第88号)", "《安全生产许可证条例》(国务院令第397号)",
      "《危险化学品安全管理条例》(国务院令第591号)", "《生产安全事故报告和调查处理条例》(国务院令第493号)"]),
    ("食品药品安全", "food-drug-safety", "市场监管", [],
     ["食品生产许可", "食品经营许可", "食品安全抽检", "药品零售许可", "医疗器械经营", "化妆品监管", "特殊食品监管",
      "食品安全事故", "校园食品安全", "网络餐饮监管", "药品不良反应", "食品安全信用"],
     ["《中华人民共和国食品安全法》(主席令第21号)", "《中华人民共和国食品安全法实施条例》(国务院令第721号)",
      "《中华人民共和国药品管理法》(主席令第31号)", "《医疗器械监督管理条例》(国务院令第739号)"]),
    ("公共体育服务", "public-sports", "体育", [],
     ["全民健身活动", "体育场馆开放", "体育赛事活动", "社会体育指导员", "青少年体育", "高危险性体育项目", "体育彩票公益金",
      "运动员注册", "体育社会组织", "健身设施建设", "国民体质监测"],
     ["《中华人民共和国体育法》(主席令第114号)", "《全民健身条例》(国务院令第560号)",
      "《经营高危险性体育项目许可管理办法》(国家体育总局令第17号)"]),
    ("统计信息", "statistics", "统计", [],
     ["统计公报", "统计年鉴", "主要经济指标", "经济普查", "人口普查", "农业普查", "统计调查项目", "统计执法检查",
      "统计数据解读", "统计制度方法", "统计信用建设", "统计分析报告"],
     ["《中华人民共和国统计法》(主席令第15号)", "《中华人民共和国统计法实施条例》(国务院令第681号)",
      "《统计执法监督检查办法》(国家统计局令第21号)"]),
    ("乡村振兴", "rural-revitalization", "乡村振兴", [],
     ["衔接资金项目", "防止返贫监测", "帮扶政策", "扶贫项目资产", "驻村帮扶", "消费帮扶", "易地扶贫搬迁", "雨露计划",
      "脱贫人口小额信贷", "和美乡村建设@农业农村", "农村人居环境@农业农村", "帮扶车间"],
     ["《中华人民共和国乡村振兴促进法》(主席令第77号)", "《中央财政衔接推进乡村振兴补助资金管理办法》(财农〔2021〕19号)",
      "《关于健全防止返贫动态监测和帮扶机制的指导意见》(中农发〔2021〕9号)"]),
    ("减税降费", "tax-reduction", "税务", [],
     ["税费优惠政策", "增值税留抵退税", "小微企业减免", "个人所得税汇算", "纳税信用评价", "税务行政处罚", "办税服务指南",
      "涉税专业服务", "欠税公告", "重大税收违法", "社保费征缴", "非税收入征缴"],
     ["《中华人民共和国税收征收管理法》(主席令第49号)", "《中华人民共和国个人所得税法》(主席令第9号)",
      "《重大税收违法失信主体信息公布管理办法》(国家税务总局令第54号)"]),
]

# Cooperating stems used for co_units (besides the matter stems above)
EXTRA_COOP = {
    "社会救助与社会福利": ["财政"], "公共资源交易": ["财政"], "涉农补贴": ["农业农村"], "乡村振兴": ["财政"],
    "就业创业": ["财政"], "养老服务": ["卫生健康"], "社会保险": ["医保"], "住房保障": ["财政"],
}

# Requirement anchors: (area, matter, sub_matter) -> requirement ids; each anchor is a province
# item with levels 省级/市级/县级, so every city and county inherits it.
ANCHORS = [
    ("公共法律服务", "司法行政机构", "机构职能", ["art20-02"]),
    ("交通运输", "交通规划", "规划计划", ["art20-03"]),
    ("统计信息", "统计公报", "统计数据", ["art20-04"]),
    ("统计信息", "统计制度方法", "政策文件", ["art20-15"]),
    ("治安管理", "特种行业许可", "办事指南", ["art20-05"]),
    ("安全生产", "安全生产执法", "行政处罚", ["art20-06"]),
    ("财政资金", "部门预决算", "资金分配", ["art20-07"]),
    ("价格与收费", "行政事业性收费", "收费标准", ["art20-08"]),
    ("公共资源交易", "政府采购", "实施情况", ["art20-09"]),
    ("重大建设项目批准和实施", "项目审批信息", "审批结果", ["art20-10"]),
    ("就业创业", "就业援助", "实施情况", ["art20-11"]),
    ("救灾", "应急预案", "政策文件", ["art20-12"]),
    ("食品药品安全", "食品安全抽检", "监督检查", ["art20-13"]),
    ("就业创业", "公务员招录", "名单公示", ["art20-14"]),
    ("住房保障", "城镇老旧小区改造", "实施情况", ["art21-01"]),
    ("公共文化服务", "公共文化设施", "办事指南", ["art21-02"]),
    ("公共体育服务", "体育彩票公益金", "资金分配", ["art21-03"]),
    ("土地征收", "征地补偿安置方案", "实施情况", ["art21-04"]),
    ("国有土地上房屋征收与补偿", "房屋征收决定", "审批结果", ["art21-05"]),
    ("治安管理", "治安状况通报", "统计数据", ["art21-06"]),
    ("社会救助与社会福利", "最低生活保障", "名单公示", ["art21-07"]),
]

# --------------------------------------------------------------------------------------------
# Regions (GB/T 2260)

CITIES = [
    ("340100", "合肥市", [("340102", "瑶海区"), ("340103", "庐阳区"), ("340104", "蜀山区"), ("340111", "包河区"),
                       ("340121", "长丰县"), ("340122", "肥东县"), ("340123", "肥西县"), ("340124", "庐江县"),
                       ("340181", "巢湖市")]),
    ("340200", "芜湖市", [("340202", "镜湖区"), ("340207", "鸠江区"), ("340209", "弋江区"), ("340210", "湾沚区"),
                       ("340212", "繁昌区"), ("340223", "南陵县"), ("340281", "无为市")]),
    ("340300", "蚌埠市", [("340302", "龙子湖区"), ("340303", "蚌山区"), ("340304", "禹会区"), ("340311", "淮上区"),
                       ("340321", "怀远县"), ("340322", "五河县"), ("340323", "固镇县")]),
    ("340400", "淮南市", [("340402", "大通区"), ("340403", "田家庵区"), ("340404", "谢家集区"), ("340405", "八公山区"),
                       ("340406", "潘集区"), ("340421", "凤台县"), ("340422", "寿县")]),
    ("340500", "马鞍山市", [("340503", "花山区"), ("340504", "雨山区"), ("340506", "博望区"), ("340521", "当涂县"),
                        ("340522", "含山县"), ("340523", "和县")]),
    ("340600", "淮北市", [("340602", "杜集区"), ("340603", "相山区"), ("340604", "烈山区"), ("340621", "濉溪县")]),
    ("340700", "铜陵市", [("340705", "铜官区"), ("340706", "义安区"), ("340711", "郊区"), ("340722", "枞阳县")]),
    ("340800", "安庆市", [("340802", "迎江区"), ("340803", "大观区"), ("340811", "宜秀区"), ("340822", "怀宁县"),
                       ("340825", "太湖县"), ("340826", "宿松县"), ("340827", "望江县"), ("340828", "岳西县"),
                       ("340881", "桐城市"), ("340882", "潜山市")]),
    ("341000", "黄山市", [("341002", "屯溪区"), ("341003", "黄山区"), ("341004", "徽州区"), ("341021", "歙县"),
                       ("341022", "休宁县"), ("341023", "黟县"), ("341024", "祁门县")]),
    ("341100", "滁州市", [("341102", "琅琊区"), ("341103", "南谯区"), ("341122", "来安县"), ("341124", "全椒县"),
                       ("341125", "定远县"), ("341126", "凤阳县"), ("341181", "天长市"), ("341182", "明光市")]),
    ("341200", "阜阳市", [("341202", "颍州区"), ("341203", "颍东区"), ("341204", "颍泉区"), ("341221", "临泉县"),
                       ("341222", "太和县"), ("341225", "阜南县"), ("341226", "颍上县"), ("341282", "界首市")]),
    ("341300", "宿州市", [("341302", "埇桥区"), ("341321", "砀山县"), ("341322", "萧县"), ("341323", "灵璧县"),
                       ("341324", "泗县")]),
    ("341500", "六安市", [("341502", "金安区"), ("341503", "裕安区"), ("341504", "叶集区"), ("341522", "霍邱县"),
                       ("341523", "舒城县"), ("341524", "金寨县"), ("341525", "霍山县")]),
    ("341600", "亳州市", [("341602", "谯城区"), ("341621", "涡阳县"), ("341622", "蒙城县"), ("341623", "利辛县")]),
    ("341700", "池州市", [("341702", "贵池区"), ("341721", "东至县"), ("341722", "石台县"), ("341723", "青阳县")]),
    ("341800", "宣城市", [("341802", "宣州区"), ("341821", "郎溪县"), ("341823", "泾县"), ("341824", "绩溪县"),
                       ("341825", "旌德县"), ("341881", "宁国市"), ("341882", "广德市")]),
]
PROVINCE = ("340000", "安徽省")
DEV_ZONE = ("341371", "宿州经济技术开发区", "341300", "宿州经开区")
AMBIGUOUS_COUNTY_NAMES = {"郊区"}  # unit names get the city prefix: 铜陵市郊区民政局

# stem -> (province unit suffix, city suffix, county suffix, short suffix for aliases or None)
UNIT_SUFFIX = {
    "发展改革": ("发展和改革委员会", "发展和改革委员会", "发展和改革委员会", ["发展改革委", "发改委"]),
    "教育": ("教育厅", "教育局", "教育体育局", None),
    "体育": ("体育局", "体育局", "教育体育局", None),
    "科技": ("科学技术厅", "科学技术局", "科学技术局", ["科技"]),
    "经济和信息化": ("经济和信息化厅", "经济和信息化局", "经济和信息化局", ["经信"]),
    "公安": ("公安厅", "公安局", "公安局", None),
    "民政": ("民政厅", "民政局", "民政局", None),
    "司法": ("司法厅", "司法局", "司法局", None),
    "财政": ("财政厅", "财政局", "财政局", None),
    "人力资源和社会保障": ("人力资源和社会保障厅", "人力资源和社会保障局", "人力资源和社会保障局", ["人社"]),
    "自然资源": ("自然资源厅", "自然资源和规划局", "自然资源和规划局", None),
    "生态环境": ("生态环境厅", "生态环境局", "生态环境局", None),
    "住房和城乡建设": ("住房和城乡建设厅", "住房和城乡建设局", "住房和城乡建设局", ["住建"]),
    "交通运输": ("交通运输厅", "交通运输局", "交通运输局", None),
    "农业农村": ("农业农村厅", "农业农村局", "农业农村局", None),
    "水利": ("水利厅", "水利局", "水利局", None),
    "文化和旅游": ("文化和旅游厅", "文化和旅游局", "文化和旅游局", ["文旅"]),
    "卫生健康": ("卫生健康委员会", "卫生健康委员会", "卫生健康委员会", ["卫健委"]),
    "应急": ("应急管理厅", "应急管理局", "应急管理局", ["应急"]),
    "市场监管": ("市场监督管理局", "市场监督管理局", "市场监督管理局", ["市场监管局"]),
    "统计": ("统计局", "统计局", "统计局", None),
    "乡村振兴": ("乡村振兴局", "乡村振兴局", "乡村振兴局", None),
    "税务": (None, None, None, None),  # 国家税务总局<region>税务局
    "医保": ("医疗保障局", "医疗保障局", "医疗保障局", ["医保局"]),
}
RENAMED = {  # stem -> (old suffix by level, until)
    "卫生健康": (("卫生和计划生育委员会", "卫生和计划生育委员会", "卫生和计划生育委员会"), ("2018-10-01", "2019-02-01", "2019-03-01")),
    "自然资源": (("国土资源厅", "国土资源局", "国土资源局"), ("2018-10-01", "2019-02-01", "2019-03-01")),
    "乡村振兴": (("扶贫开发工作办公室", "扶贫开发工作办公室", "扶贫开发工作办公室"), ("2021-04-01", "2021-06-01", "2021-07-01")),
}
DEV_ZONE_UNITS = [
    ("宿州经济技术开发区经济发展局", ["发展改革", "经济和信息化", "科技", "统计"], ["宿州经开区经发局"]),
    ("宿州经济技术开发区财政局", ["财政"], ["宿州经开区财政局"]),
    ("宿州经济技术开发区社会事业局", ["教育", "体育", "民政", "卫生健康", "文化和旅游", "人力资源和社会保障", "医保", "司法"],
     ["宿州经开区社会事业局"]),
    ("宿州经济技术开发区建设发展局", ["住房和城乡建设", "交通运输", "水利", "自然资源"], ["宿州经开区建设局"]),
    ("宿州经济技术开发区农村工作局", ["农业农村", "乡村振兴"], ["宿州经开区农工局"]),
    ("宿州经济技术开发区安全生产监督管理局", ["应急"], ["宿州经开区安监局"]),
    ("宿州市公安局经济技术开发区分局", ["公安"], ["宿州经开区公安分局"]),
    ("宿州市生态环境局经济技术开发区分局", ["生态环境"], ["宿州经开区生态环境分局"]),
    ("宿州市市场监督管理局经济技术开发区分局", ["市场监管"], ["宿州经开区市场监管分局"]),
    ("国家税务总局宿州经济技术开发区税务局", ["税务"], ["宿州经开区税务局"]),
]

# --------------------------------------------------------------------------------------------
# Scales

SCALES = {
    # cities: None = all; else {city code: None (all counties) or list of county codes};
    # townships: None (none), "all" (9-20 a county, benchmarks/townships.py) or "few" (3 a county);
    # town_areas: how many of the township-level areas each township covers
    "full": dict(cities=None, dev_zone=True, areas=None, mean=55.0, sd=13.0, lo=24, hi=72,
                 townships="all", town_areas=(10, 20)),
    # the county-level province under its own name: "full" is the province with its townships
    # (issue 22); "county" keeps the tree without them, byte for byte, so that its figures compare
    "county": dict(cities=None, dev_zone=True, areas=None, mean=55.0, sd=13.0, lo=24, hi=72, townships=None),
    "tenth": dict(cities={"341300": None, "341500": None}, dev_zone=True, areas=None,
                  mean=44.0, sd=11.0, lo=24, hi=70, townships="all", town_areas=(10, 20)),
    "tiny": dict(cities={"341300": ["341321", "341322"]}, dev_zone=False,
                 areas=["社会救助与社会福利", "教育信息", "公共资源交易"], mean=11.0, sd=1.5, lo=9, hi=13,
                 townships="few", town_areas=(2, 3)),
}

# --------------------------------------------------------------------------------------------
# YAML scalar quoting

_BAD_START = set("-?:,[]{}#&*!|>'\"%@` \t")
_BOOLNULL = {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"}
_FLOW_BAD = set(",[]{}:#")
_qcache = ({}, {})  # block context, flow context
_flcache = {}


def _needs_quote(s, flow):
    return (not s or s[0] in _BAD_START or s[-1] in " \t" or s[0].isdigit() or s[0] in "+."
            or ":" in s or " #" in s or s.lower() in _BOOLNULL or s.startswith("<<") or s == "="
            or any(ord(c) < 32 or c in "\\\"\x7f\u2028\u2029\ufeff\x85" for c in s)
            or (flow and any(c in _FLOW_BAD for c in s)))


def q(s, flow=False):
    """Return s as a YAML scalar: plain when safe (YAML 1.1 and 1.2), else JSON double-quoted."""
    cache = _qcache[flow]
    r = cache.get(s)
    if r is None:
        r = cache[s] = json.dumps(s, ensure_ascii=False) if _needs_quote(s, flow) else s
    return r


def flow_list(xs):
    key = tuple(xs)
    r = _flcache.get(key)
    if r is None:
        r = _flcache[key] = "[" + ", ".join(q(x, True) for x in xs) + "]"
    return r


# --------------------------------------------------------------------------------------------
# Model


class Region:
    __slots__ = ("code", "name", "level", "parent", "kind", "uprefix", "short", "city", "units", "children")

    def __init__(self, code, name, level, parent=None, kind=None, city=None):
        self.code, self.name, self.level, self.parent, self.kind = code, name, level, parent, kind
        self.city = city  # city Region for counties
        self.uprefix = name
        if level == "county" and name in AMBIGUOUS_COUNTY_NAMES:
            self.uprefix = city.name + name
        self.short = short_name(name)
        self.units = {}  # stem -> unit dict
        self.children = []


def short_name(name):
    for suf in ("省", "市", "县", "区"):
        if name.endswith(suf) and len(name) - 1 >= 2:
            return name[:-1]
    return name


def build_regions(cfg):
    prov = Region(PROVINCE[0], PROVINCE[1], "province")
    regions = [prov]
    for ccode, cname, counties in CITIES:
        if cfg["cities"] is not None and ccode not in cfg["cities"]:
            continue
        city = Region(ccode, cname, "city", parent=prov.code)
        prov.children.append(city)
        regions.append(city)
        wanted = None if cfg["cities"] is None else cfg["cities"][ccode]
        for kcode, kname in counties:
            if wanted is not None and kcode not in wanted:
                continue
            c = Region(kcode, kname, "county", parent=ccode, city=city)
            city.children.append(c)
            regions.append(c)
        if cfg["dev_zone"] and ccode == DEV_ZONE[2]:
            dz = Region(DEV_ZONE[0], DEV_ZONE[1], "county", parent=ccode, kind="development_zone", city=city)
            dz.short = DEV_ZONE[3]
            city.children.append(dz)
            regions.append(dz)
    return prov, regions


def build_units(regions, stems):
    """One unit per stem used (merged bureaus share a unit: county 教育体育局, development zone)."""
    all_units = []
    city_shorts = {r.short for r in regions if r.level == "city"}
    for reg in regions:
        if reg.kind == "development_zone":
            for name, ustems, aliases in DEV_ZONE_UNITS:
                if not set(ustems) & stems:
                    continue
                u = {"name": name, "region": reg.code, "stems": ustems, "aliases": list(aliases), "renamed_from": []}
                all_units.append(u)
                for s in ustems:
                    reg.units[s] = u
            continue
        li = {"province": 0, "city": 1, "county": 2}[reg.level]
        for stem in sorted(stems, key=lambda s: list(UNIT_SUFFIX).index(s)):
            if stem in reg.units:
                continue
            suf = UNIT_SUFFIX[stem]
            ustems = [stem]
            aliases = []
            renamed = []
            if stem == "税务":
                name = f"国家税务总局{reg.uprefix}税务局"
                aliases = [f"{reg.uprefix}税务局"]
                if reg.level == "province":
                    aliases.append("省税务局")
            elif reg.level == "county" and stem == "公安" and reg.name.endswith("区"):
                name = f"{reg.city.name}公安局{reg.short}分局"
                aliases = [f"{reg.uprefix}公安分局"]
            elif reg.level == "county" and stem == "生态环境":
                name = f"{reg.city.name}生态环境局{reg.short}分局"
                aliases = [f"{reg.uprefix}生态环境分局"]
            else:
                if reg.level == "county" and stem in ("教育", "体育"):
                    ustems = ["教育", "体育"]
                    name = f"{reg.uprefix}教育体育局"
                    aliases = [f"{reg.uprefix}教体局"]
                else:
                    full = suf[li]
                    name = reg.uprefix + full
                    shorts = [x if x.endswith(("委", "局", "厅")) else x + full[-1] for x in (suf[3] or [])]
                    if reg.level == "province":
                        aliases = ["省" + (shorts[0] if shorts else full)]
                        aliases += [reg.name + x for x in (shorts[1:] or shorts)]
                    else:
                        aliases = [reg.uprefix + x for x in shorts]
                        if stem == "自然资源":
                            aliases.append(reg.uprefix + "自然资源局")
                        if reg.short != reg.name and len(aliases) < 2 and not (
                                reg.level == "county" and reg.short in city_shorts):  # 黄山区 vs 黄山市
                            aliases.append(reg.short + (shorts[0] if shorts else full))
                if stem in RENAMED:
                    old, until = RENAMED[stem]
                    renamed = [{"name": reg.uprefix + old[li], "until": until[li]}]
            if reg.level == "county" and len(aliases) < 2:
                if reg.uprefix != reg.name and name.startswith(reg.uprefix):
                    aliases.append(reg.name + name[len(reg.uprefix):])  # 铜陵市郊区民政局 -> 郊区民政局
                elif not name.startswith(reg.city.name):
                    aliases.append(reg.city.name + name)  # 萧县民政局 -> 宿州市萧县民政局
            u = {"name": name, "region": reg.code, "stems": ustems, "aliases": aliases, "renamed_from": renamed}
            all_units.append(u)
            for s in ustems:
                reg.units[s] = u
    # aliases must identify one unit: drop any alias that is ambiguous or equals a unit name
    names = {u["name"] for u in all_units}
    count = {}
    for u in all_units:
        for a in set(u["aliases"]):
            count[a] = count.get(a, 0) + 1
    for u in all_units:
        seen = []
        for a in u["aliases"]:
            if count[a] == 1 and a not in names and a != u["name"] and a not in seen:
                seen.append(a)
        u["aliases"] = seen[:2]
    return all_units


# --------------------------------------------------------------------------------------------
# Item generation

STD_FORMS = {
    "std1": "信息形成或者变更之日起{n}个工作日内",
    "std2": "自该信息形成或者变更之日起{n}个工作日内予以公开",
    "std3": "信息形成{n}个工作日内公开",
    "std4": "{n}个工作日内",
    "std5": "{n}工作日",
}
STD_KEYS = list(STD_FORMS)
STD_W = [55, 15, 10, 15, 5]
SPECIAL_FORMS = {
    "policy": "文件公布之日起{n}个工作日内",
    "approve": "作出审批决定之日起{n}个工作日内",
    "penalty": "行政处罚决定作出之日起{n}个工作日内",
}
FIXED = {"realtime": "实时公开", "timely": "及时公开", "annual": "每年1月31日前", "long": "长期"}
SHORT_DAYS_AREAS = {"社会救助与社会福利", "救灾", "养老服务"}


def tl_text(tl):
    form, n = tl
    if form in STD_FORMS:
        return STD_FORMS[form].format(n=n)
    if form in SPECIAL_FORMS:
        return SPECIAL_FORMS[form].format(n=n)
    return FIXED[form]


def own_time_limit(rng, area_name, sub):
    r = rng.random()
    if sub == "政策解读":
        return ("policy", 3 if r < 0.6 else 5)
    if sub == "审批结果" and r < 0.7:
        return ("approve", 7)
    if sub == "行政处罚" and r < 0.8:
        return ("penalty", 7)
    if sub == "年度报告":
        return ("annual", None)
    if sub == "工作动态":
        return ("timely", None) if r < 0.6 else ("realtime", None)
    if sub in ("办事指南", "机构职能") and r < 0.2:
        return ("realtime", None)
    if sub == "规划计划" and r < 0.1:
        return ("long", None)
    n = 20
    if area_name in SHORT_DAYS_AREAS and sub in ("名单公示", "资金分配", "申请条件", "实施情况"):
        n = 10
    elif rng.random() < 0.06:
        n = 10
    return (rng.choices(STD_KEYS, STD_W)[0], n)


def derived_time_limit(rng, tl):
    form, n = tl
    r = rng.random()
    if form in STD_FORMS:
        if r < 0.8:
            return tl
        if r < 0.9:
            return (rng.choices(STD_KEYS, STD_W)[0], n)
        shorter = [x for x in (15, 10, 7, 5) if x < n]
        return (form, rng.choice(shorter)) if shorter else tl
    if form in SPECIAL_FORMS:
        if r < 0.9 or n <= 2:
            return tl
        return (form, n - 2)
    return tl


def pick_channels(rng, sub, level, area_name):
    ch = set()
    if rng.random() < 0.96:
        ch.add("政府网站")
    if sub in ("政策文件", "规划计划") and rng.random() < 0.5:
        ch.add("政府公报")
    if rng.random() < 0.35:
        ch.add("两微一端")
    if sub == "政策解读" and rng.random() < 0.3:
        ch.add("发布会/听证会")
    if rng.random() < 0.04:
        ch.add("广播电视")
    if rng.random() < 0.08:
        ch.add("纸质媒体")
    if rng.random() < 0.12:
        ch.add("公开查阅点")
    if sub in ("办事指南", "申请条件", "办理流程", "收费标准") and rng.random() < 0.7:
        ch.add("政务服务中心")
    if level == "county":
        if sub in ("办事指南", "申请条件", "名单公示") and rng.random() < 0.35:
            ch.add("便民服务站")
        if sub == "名单公示" and rng.random() < 0.7:
            ch.add(BULLETIN)
        if rng.random() < 0.05:
            ch.add("入户/现场")
    if rng.random() < 0.04:
        ch.add("精准推送")
    out = sorted(ch, key=CH_RANK.__getitem__)
    r = rng.random()
    if r < 0.08:
        out.append("其他:政务新媒体")
    elif r < 0.1:
        out.append("其他:12345政务服务热线")
    elif area_name == "公共资源交易" and r < 0.4:
        out.append("其他:公共资源交易平台")
    if not out:
        out = ["政府网站"]
    return out


def ch_base(c):
    return "其他" if c.startswith("其他") else c


def sort_channels(chs):
    return sorted(chs, key=lambda c: CH_RANK[ch_base(c)])


def pick_optional(rng, chs):
    if rng.random() >= 0.12:
        return []
    used = {ch_base(c) for c in chs}
    cands = [c for c in ("两微一端", "广播电视", "纸质媒体", "公开查阅点", "精准推送") if c not in used]
    k = min(len(cands), rng.choice((1, 1, 2)))
    return sorted(rng.sample(cands, k), key=CH_RANK.__getitem__)


CN_NUM = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五",
          "十六", "十七", "十八", "十九", "二十"]


def law_tag(b):
    if "主席令" in b:
        return "【法律】"
    if "国务院令" in b or "中央军委令" in b:
        return "【行政法规】"
    if "部令" in b or "局令" in b or "委令" in b:
        return "【部门规章】"
    if "人民政府令" in b:
        return "【地方政府规章】"
    if "常务委员会公告" in b:
        return "【地方性法规】"
    return "【规范性文件】"


def fmt_basis(rng, b):
    r = rng.random()
    if r < 0.06:
        return law_tag(b) + b
    if r < 0.12:
        return b + "第" + CN_NUM[rng.randint(2, 20)] + "条"
    return b


def own_basis(rng, laws, reqs):
    k = rng.choices((1, 2, 3), (45, 40, 15))[0]
    chosen = sorted(rng.sample(range(len(laws)), min(k, len(laws))))
    out = [fmt_basis(rng, laws[i]) for i in chosen]
    if reqs:
        art = "第二十一条" if any(r.startswith("art21") for r in reqs) else "第二十条"
        out = out[:2] + [REGULATION + art]
    elif rng.random() < 0.25 and len(out) < 3:
        out.append(REGULATION)
    return out


def make_content(rng, matter, sub):
    elems = SUB[sub][2]
    n = rng.randint(3, len(elems))
    picked = [elems[i] for i in sorted(rng.sample(range(len(elems)), n))]
    style = rng.random()
    body = "、".join(picked)
    if style < 0.45:
        s = f"{matter}{sub}：{body}"
    elif style < 0.75:
        s = f"公开{matter}的{body}"
    else:
        s = f"{matter}相关{body}等信息"
    i = 0
    while len(s) < 20:
        s += "，" + ["并附办事咨询电话", "及时更新调整情况", "同步公开政策解读", "以及监督举报方式"][i % 4]
        i += 1
    if len(s) > 80:
        s = s[:79] + "等"
    return s


def own_levels(rng, level, with_lower):
    """Levels for an item of a region's own (not implementing) item."""
    if level == "province":
        if with_lower == "county":
            return rng.choices(
                (["省级", "市级", "县级"], ["省级", "市级", "县级", "乡级"], ["市级", "县级"]), (60, 32, 8))[0]
        if with_lower == "city":
            return ["省级", "市级"]
        return ["省级"]
    if level == "city":
        if with_lower == "county":
            return rng.choices((["市级", "县级"], ["市级", "县级", "乡级"]), (65, 35))[0]
        return ["市级"]
    return rng.choices((["县级"], ["县级", "乡级"], ["县级", "乡级", "村级"]), (50, 40, 10))[0]


class AreaCtx:
    def __init__(self, idx, spec):
        self.idx = idx
        (self.name, self.slug, self.lead, self.aliases, matters, self.laws) = spec
        self.matters = []
        self.mstem = {}
        for m in matters:
            name, _, stem = m.partition("@")
            self.matters.append(name)
            self.mstem[name] = stem or self.lead
        self.mrank = {m: i for i, m in enumerate(self.matters)}
        coop = {s for s in self.mstem.values() if s != self.lead} | set(EXTRA_COOP.get(self.name, []))
        self.cooperating = sorted(coop, key=lambda s: list(UNIT_SUFFIX).index(s))
        self.stems = {self.lead} | coop

    def kind(self, matter):
        if REG_WORDS.search(matter):
            return "R"
        if SVC_WORDS.search(matter):
            return "S"
        return "G"


def new_item(rng, area, region, matter, sub, levels, reqs_all):
    stem = area.mstem[matter]
    unit = region.units[stem]["name"]
    lvl = region.level
    reqs = [r for r in reqs_all if lvl in REQ_LEVELS[r]]
    chs = pick_channels(rng, sub, lvl, area.name)
    it = {
        "id": None,
        "matter": matter,
        "sub_matter": sub,
        "content": make_content(rng, matter, sub),
        "basis": own_basis(rng, area.laws, reqs_all),
        "time_limit": None,
        "responsible_unit": unit,
        "co_units": None,
        "channels": chs,
        "optional_channels": pick_optional(rng, chs) or None,
        "audience": "特定群体" if rng.random() < 0.1 else "全社会",
        "method": "依申请" if rng.random() < 0.07 else "主动",
        "levels": levels,
        "implements": None,
        "requirements": reqs or None,
        "stage": SUB[sub][1] if rng.random() < 0.35 else None,
    }
    if reqs_all:  # the legal floor (条例 arts. 20, 21) is 主动公开 to 全社会
        it["audience"], it["method"] = "全社会", "主动"
    tl = own_time_limit(rng, area.name, sub)
    it["time_limit"] = tl_text(tl)
    co = []
    if area.cooperating and rng.random() < 0.1:
        cs = rng.choice(area.cooperating)
        if cs != stem:
            co = [cs]
    meta = {"stem": stem, "tl": tl, "co": co, "reqs": reqs_all, "upper": None, "children": 0,
            "region": region, "area": area}
    if co:
        cu = region.units[co[0]]["name"]
        if cu != unit:
            it["co_units"] = [cu]
    return it, meta


def derive_item(rng, area, region, upper, umeta):
    lvl = region.level
    rank = LV_RANK[LEVEL_CN[lvl]]
    unit = region.units[umeta["stem"]]["name"]
    reqs = [r for r in umeta["reqs"] if lvl in REQ_LEVELS[r]]
    chs = list(upper["channels"])
    extra = []
    if lvl == "county":
        if upper["sub_matter"] in ("办事指南", "申请条件") and rng.random() < 0.25:
            extra.append("便民服务站")
        if upper["sub_matter"] == "名单公示" and rng.random() < 0.6:
            extra.append(BULLETIN)
    if rng.random() < 0.1:
        extra.append("两微一端")
    have = {ch_base(c) for c in chs} if extra else ()
    for e in extra:
        if e not in have:
            chs.append(e)
            have.add(e)
    if extra:
        chs = sort_channels(chs)
    opt = None
    if upper["optional_channels"]:
        have = {ch_base(c) for c in chs}
        opt = [c for c in upper["optional_channels"] if c not in have] or None
    basis = list(upper["basis"])
    if len(basis) < 3 and rng.random() < 0.12:
        cand = [b for b in area.laws if b not in basis]
        if cand:
            basis.append(rng.choice(cand))
    aud = upper["audience"]
    if aud == "特定群体" and rng.random() < 0.1:
        aud = "全社会"
    meth = upper["method"]
    if meth == "依申请" and rng.random() < 0.1:
        meth = "主动"
    tl = derived_time_limit(rng, umeta["tl"])
    it = {
        "id": None,
        "matter": upper["matter"],
        "sub_matter": upper["sub_matter"],
        "content": upper["content"],
        "basis": basis,
        "time_limit": tl_text(tl),
        "responsible_unit": unit,
        "co_units": None,
        "channels": chs,
        "optional_channels": opt,
        "audience": aud,
        "method": meth,
        "levels": [l for l in upper["levels"] if LV_RANK[l] >= rank],
        "implements": upper["id"],
        "requirements": reqs or None,
        "stage": upper["stage"],
    }
    co = [s for s in umeta["co"] if region.units[s]["name"] != unit]
    if co:
        it["co_units"] = [region.units[co[0]]["name"]]
    umeta["children"] += 1
    meta = {"stem": umeta["stem"], "tl": tl, "co": co, "reqs": umeta["reqs"], "upper": (upper, umeta),
            "children": 0, "region": region, "area": area}
    return it, meta


def finish_catalog(region, area, pairs):
    """Sort a catalog's items as a table would list them and assign ids."""
    pairs.sort(key=lambda p: (area.mrank[p[0]["matter"]], SUB_RANK[p[0]["sub_matter"]]))
    for n, (it, meta) in enumerate(pairs, 1):
        it["id"] = f"{region.code}-{area.idx:02d}-{n:03d}"
    return pairs


def gen_area(seed, area, prov, cfg, anchors):
    rng = random.Random(f"gkml:{seed}:{area.slug}")
    # --- counts
    t = max(cfg["lo"], min(cfg["hi"], round(rng.gauss(cfg["mean"], cfg["sd"]))))
    k_p = max(len(anchors) + 1, round(t * rng.uniform(0.55, 0.7)))
    p_city = max(1, round(t * rng.uniform(0.1, 0.2)))
    p_prov = max(1, round(t * rng.uniform(0.1, 0.2)))
    city_counts = {}
    county_counts = {}
    for city in prov.children:
        c_cc = max(1, round(t * rng.uniform(0.1, 0.22)))
        c_cty = max(1, round(t * rng.uniform(0.03, 0.1)))
        city_counts[city.code] = (c_cc, c_cty)
        for cty in city.children:
            own = max(1, t - k_p - c_cc + rng.randint(-4, 4))
            county_counts[cty.code] = own
    P = k_p + p_city + p_prov
    CS = max([a + b for a, b in city_counts.values()] or [0]) + 3
    KS = max(list(county_counts.values()) or [0]) + 3
    # --- pair pool: anchors first, then fitting combinations, then any other combination
    for m, s, _ in anchors:
        assert m in area.mstem and s in SUB, (area.name, m, s)
    anchor_pairs = [(m, s) for m, s, _ in anchors]
    reqmap = {(m, s): r for m, s, r in anchors}
    fit, other = [], []
    for m in area.matters:
        k = area.kind(m)
        for s in SUBTYPES:
            if (m, s[0]) in reqmap:
                continue
            if k in s[3]:
                fit.append((m, s[0]))
            elif s[3]:
                other.append((m, s[0]))
    rng.shuffle(fit)
    rng.shuffle(other)
    first = (area.matters[0], "政策文件")  # art20-01 anchor: lead-unit item inherited everywhere
    assert area.mstem[first[0]] == area.lead, area.name
    if first in reqmap:
        reqmap[first] = reqmap[first] + ["art20-01"]
    else:
        fit.remove(first)
        anchor_pairs.insert(0, first)
        reqmap[first] = ["art20-01"]
    pool = anchor_pairs + fit + other
    need = P + CS + KS
    if need > len(pool):
        raise SystemExit(f"pair pool of {area.name} too small: need {need}, have {len(pool)}")
    pseg, cseg, kseg = pool[:P], pool[P:P + CS], pool[P + CS:P + CS + KS]
    na = len(anchor_pairs)
    # --- province
    out = []
    prov_pairs = []
    for i, (m, s) in enumerate(pseg):
        if i < na:
            levels, reqs = ["省级", "市级", "县级"], reqmap[(m, s)]
        elif i < k_p:
            levels, reqs = own_levels(rng, "province", "county"), []
        elif i < k_p + p_city:
            levels, reqs = own_levels(rng, "province", "city"), []
        else:
            levels, reqs = own_levels(rng, "province", None), []
        if not reqs and s == "政策文件" and rng.random() < 0.25:
            reqs = ["art20-01"]
        prov_pairs.append(new_item(rng, area, prov, m, s, levels, reqs))
    out.append((prov, finish_catalog(prov, area, prov_pairs)))
    prov_down = [p for p in prov_pairs if "市级" in p[0]["levels"]]
    for city in prov.children:
        c_cc, c_cty = city_counts[city.code]
        pairs = [derive_item(rng, area, city, it, meta) for it, meta in prov_down]
        own = rng.sample(cseg, c_cc + c_cty)
        for j, (m, s) in enumerate(own):
            pairs.append(new_item(rng, area, city, m, s, own_levels(rng, "city", "county" if j < c_cc else None), []))
        out.append((city, finish_catalog(city, area, pairs)))
        city_down = [p for p in pairs if "县级" in p[0]["levels"]]
        for cty in city.children:
            cp = [derive_item(rng, area, cty, it, meta) for it, meta in city_down]
            for m, s in rng.sample(kseg, county_counts[cty.code]):
                cp.append(new_item(rng, area, cty, m, s, own_levels(rng, "county", None), []))
            out.append((cty, finish_catalog(cty, area, cp)))
    return out


# --------------------------------------------------------------------------------------------
# Faults

FAULT_KINDS = [
    "missing-matter", "misspelled-key", "unknown-channel", "synonym-channel", "longer-time-limit",
    "weakened-method", "duplicate-matter", "dangling-implements", "vague-basis", "missing-content",
    "unknown-audience", "synonym-method", "missing-responsible_unit", "missing-channels", "missing-audience",
]


CONDITIONAL = ("synonym-channel", "synonym-method", "longer-time-limit", "weakened-method", "duplicate-matter",
               "dangling-implements", "unknown-channel")


def inject_faults(catalogs, pct, seed):
    """Give round(pct% of all matters) items exactly one fault each. Returns [(file, id, kind, detail)]."""
    allitems = [(path, it, meta) for path, _, _, pairs in catalogs for it, meta in pairs]
    total = len(allitems)
    k = round(total * pct / 100.0)
    if k <= 0:
        return []
    k = min(k, total)
    rng = random.Random(f"gkml-errors:{seed}")
    nk = len(FAULT_KINDS)
    quota = {kind: len(range(i, k, nk)) for i, kind in enumerate(FAULT_KINDS)}
    chosen = {}  # index -> kind
    by_region = {}
    for i, (_, it, meta) in enumerate(allitems):
        by_region.setdefault(meta["region"].code, []).append(i)

    def eligible(kind, i):
        _, it, meta = allitems[i]
        up = meta["upper"]
        if kind == "synonym-channel":
            return "政务服务中心" in it["channels"]
        if kind == "synonym-method":
            return it["method"] == "依申请"
        if kind == "longer-time-limit":
            return up is not None and up[1]["tl"][1] is not None and up[1]["tl"][1] < 30
        if kind == "weakened-method":
            return up is not None and up[0]["method"] == "主动" and it["method"] == "主动"
        if kind == "duplicate-matter":
            return meta["children"] == 0
        if kind == "dangling-implements":  # an own item, so no upper item loses its implementation
            return up is None and meta["region"].level != "province"
        if kind == "unknown-channel":  # a leaf, so no lower item inherits the typo
            return meta["children"] == 0
        return True

    picked_ids = set()  # items and uppers involved in time/method faults

    def take(kind, seq, want):
        got = 0
        for i in seq:
            if got >= want:
                break
            if i in chosen:
                continue
            if kind in ("longer-time-limit", "weakened-method"):
                # the upper item must keep its value, or the fault would not show
                it, meta = allitems[i][1], allitems[i][2]
                uid = meta["upper"][0]["id"]
                if uid in picked_ids or it["id"] in picked_ids:
                    continue
                picked_ids.add(it["id"])
                picked_ids.add(uid)
            chosen[i] = kind
            got += 1
        return got

    elig = {kind: [] for kind in CONDITIONAL}
    for i in range(total):
        for kind in CONDITIONAL:
            if eligible(kind, i):
                elig[kind].append(i)
    # kinds with preconditions first, so universal kinds can absorb any shortfall
    kinds = sorted(FAULT_KINDS, key=lambda kd: kd not in CONDITIONAL)
    shortfall = 0
    for kind in kinds:
        want = quota[kind]
        if kind not in CONDITIONAL and shortfall:
            extra = min(shortfall, max(0, total - len(chosen) - want))
            want += extra
            shortfall -= extra
        cands = elig.get(kind, range(total))
        if want <= 0 or not cands:
            shortfall += max(0, want)
            continue
        m = min(len(cands), 2 * want + 64)
        sample = rng.sample(cands, m)
        got = take(kind, sample, want)
        if got < want and m < len(cands):  # rarely needed: the rest of the candidates
            seen = set(sample)
            rest = [i for i in cands if i not in seen]
            rng.shuffle(rest)
            got += take(kind, rest, want - got)
        shortfall += want - got
    # uppers of time/method faults must not be changed by another kind either
    protected = set()
    for i, kind in chosen.items():
        if kind in ("longer-time-limit", "weakened-method"):
            protected.add(allitems[i][2]["upper"][0]["id"])

    faults = []
    for i in sorted(chosen):
        kind = chosen[i]
        path, it, meta = allitems[i]
        detail = ""
        if kind.startswith("missing-"):
            key = kind[len("missing-"):]
            detail = f"{key}: {it[key]}" if not isinstance(it[key], list) else f"{key}: {', '.join(it[key])}"
            it[key] = None
        elif kind == "misspelled-key":
            it["_rename"] = ("responsible_unit", "responsable_unit")
            detail = "responsible_unit -> responsable_unit"
        elif kind == "unknown-channel":
            chs = [c for c in it["channels"]]
            pos = next((j for j, c in enumerate(chs) if CH_RANK[ch_base(c)] > CH_RANK[BULLETIN]), len(chs))
            chs.insert(pos, "公示拦")
            it["channels"] = chs
            detail = "channel 公示拦"
        elif kind == "synonym-channel":
            it["channels"] = ["行政服务中心" if c == "政务服务中心" else c for c in it["channels"]]
            detail = "政务服务中心 -> 行政服务中心"
        elif kind == "unknown-audience":
            detail = f"audience {it['audience']} -> 特定人群"
            it["audience"] = "特定人群"
        elif kind == "synonym-method":
            it["method"] = "依申请公开"
            detail = "依申请 -> 依申请公开"
        elif kind == "longer-time-limit":
            up = meta["upper"][0]
            it["time_limit"] = "信息形成或者变更之日起30个工作日内"
            detail = f"30个工作日 > upper {up['id']}: {up['time_limit']}"
        elif kind == "weakened-method":
            it["method"] = "依申请"
            detail = f"依申请 < upper {meta['upper'][0]['id']}: 主动"
        elif kind == "dangling-implements":
            head, _, n = it["id"].rpartition("-")
            parent = meta["region"].parent
            it["implements"] = f"{parent}-{meta['area'].idx:02d}-{int(n) + 700:03d}"
            detail = f"implements {it['implements']} (no such item)"
        elif kind == "vague-basis":
            it["basis"] = ["相关政策文件"]
            detail = "basis 相关政策文件"
        elif kind == "duplicate-matter":
            region_items = by_region[meta["region"].code]
            donor = None
            for _ in range(200):
                j = rng.choice(region_items)
                _, dit, dmeta = allitems[j]
                if (j not in chosen and dmeta["area"] is not meta["area"]
                        and dit["responsible_unit"] != it["responsible_unit"] and dit["id"] not in protected):
                    donor = dit
                    break
            if donor is None:  # cannot happen with >1 area; fall back to a vague basis
                it["basis"] = ["相关政策文件"]
                kind, detail = "vague-basis", "basis 相关政策文件"
            else:
                it["matter"], it["sub_matter"], it["content"] = donor["matter"], donor["sub_matter"], donor["content"]
                detail = f"same as {donor['id']} ({donor['responsible_unit']})"
        faults.append((path, it["id"], kind, detail))
    return faults


# --------------------------------------------------------------------------------------------
# Rendering

SCALAR_KEYS = ("matter", "sub_matter", "third_matter", "content", "time_limit", "responsible_unit",
               "audience", "method", "implements", "stage", "scope")
FLOW_KEYS = ("co_units", "channels", "optional_channels", "levels", "requirements")
KEY_ORDER = ("matter", "sub_matter", "content", "basis", "time_limit", "responsible_unit", "co_units", "channels",
             "optional_channels", "audience", "method", "levels", "implements", "requirements", "stage", "scope")


_bcache = {}


def render_basis(v, name="basis"):
    key = (name, tuple(v))
    r = _bcache.get(key)
    if r is None:
        r = _bcache[key] = f"    {name}:\n" + "".join(f"      - {q(b)}\n" for b in v)
    return r


def render_item(it, buf):
    ap = buf.append
    ap(f"  - id: \"{it['id']}\"\n")  # ids are [0-9-] only and start with a digit: always quoted
    rename = it.get("_rename")
    for key in KEY_ORDER:
        v = it.get(key)
        if v is None:
            continue
        name = rename[1] if rename and rename[0] == key else key
        if key == "basis":
            ap(render_basis(v, name))
        elif key in FLOW_KEYS:
            ap(f"    {name}: {flow_list(v)}\n")
        else:
            ap(f"    {name}: {q(v)}\n")


def render_catalog(region, area, pairs):
    lead = region.units[area.lead]["name"]
    buf = [SCHEMA_LINE, "\n",
           f"region: {q(region.code)}\n",
           f"level: {region.level}\n",
           f"area: {q(area.name)}\n",
           f"department: {q(lead)}\n",
           f"version: {json.dumps(VERSION)}\n",
           f"effective: {json.dumps(EFFECTIVE)}\n",
           f"standard: {'true' if region.level in ('province', 'city') else 'false'}\n",
           "items:\n"]
    for it, _ in pairs:
        render_item(it, buf)
    return "".join(buf)


def render_registry(regions, areas, units, header, town_lines="", township_areas=(), extra_laws=()):
    files = {}
    b = [header, "regions:\n"]
    for r in regions:
        parts = [f"code: {q(r.code)}", f"name: {q(r.name, True)}", f"level: {r.level}"]
        if r.parent:
            parts.append(f"parent: {q(r.parent)}")
        if r.kind:
            parts.append(f"kind: {r.kind}")
        b.append("  - {" + ", ".join(parts) + "}\n")
    b.append(town_lines)
    files["regions.yaml"] = "".join(b)

    b = [header, "areas:\n"]
    for a in areas:
        b.append(f"  - name: {q(a.name)}\n")
        b.append(f"    slug: {q(a.slug)}\n")
        if a.aliases:
            b.append(f"    aliases: {flow_list(a.aliases)}\n")
        b.append(f"    levels: [province, city, county{', township' if a.name in township_areas else ''}]\n")
        b.append(f"    lead: {q(a.lead)}\n")
        if a.cooperating:
            b.append(f"    cooperating: {flow_list(a.cooperating)}\n")
    files["areas.yaml"] = "".join(b)

    b = [header, "units:\n"]
    for u in units:
        b.append(f"  - name: {q(u['name'])}\n")
        b.append(f"    region: {q(u['region'])}\n")
        b.append(f"    stems: {flow_list(u['stems'])}\n")
        if u["aliases"]:
            b.append(f"    aliases: {flow_list(u['aliases'])}\n")
        if u["renamed_from"]:
            rf = ", ".join("{name: " + q(x["name"], True) + ", until: " + json.dumps(x["until"]) + "}"
                           for x in u["renamed_from"])
            b.append(f"    renamed_from: [{rf}]\n")
    files["units.yaml"] = "".join(b)

    b = [header, "requirements:\n"]
    for rid, art, title, levels in REQUIREMENTS:
        kw = REQ_KEYWORDS[rid]
        b.append("  - {" + f"id: {q(rid, True)}, article: {q(art, True)}, title: {q(title, True)}, "
                 f"levels: [{', '.join(levels)}]" + (f", keywords: {flow_list(kw)}" if kw else "") + "}\n")
    files["requirements.yaml"] = "".join(b)

    # the document library: every document the generated items cite, so their citations resolve
    # (synthetic data: each is recorded 有效, which exercises the validity rules as a real library does)
    b = [header, "documents:\n"]
    cited = dict.fromkeys([REGULATION] + [law for a in areas for law in a.laws] + list(extra_laws))
    for n, law in enumerate(cited, 1):
        title, number = re.match(r"《([^》]+)》(?:\(([^()]+)\))?", law).groups()
        parts = [f"id: g{n:04d}", f"title: {q(title, True)}"] + ([f"number: {q(number, True)}"] if number else [])
        parts += [f"type: {law_tag(law)[1:-1]}", "status: 有效"]
        b.append("  - {" + ", ".join(parts) + "}\n")
    files["documents.yaml"] = "".join(b)
    return files


# --------------------------------------------------------------------------------------------


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", choices=sorted(SCALES), required=True)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--errors", type=float, default=0.0, metavar="PCT",
                    help="percentage of matters that carry one fault (default 0: clean tree)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--force", action="store_true", help="replace an existing DIR/catalogs")
    args = ap.parse_args(argv)
    if not 0 <= args.errors <= 100:
        ap.error("--errors must be between 0 and 100")
    t0 = time.perf_counter()
    gc.disable()  # hundreds of thousands of small dicts, no cycles: the collector only costs time
    cfg = SCALES[args.scale]

    out = args.out
    cat_dir = out / "catalogs"
    if cat_dir.exists() and any(cat_dir.iterdir()):
        if not args.force:
            ap.error(f"{cat_dir} exists and is not empty (use --force to replace it)")
        shutil.rmtree(cat_dir)
    faults_file = out / "faults.tsv"
    if faults_file.exists():
        faults_file.unlink()

    area_specs = [(i, a) for i, a in enumerate(AREAS, 1) if cfg["areas"] is None or a[0] in cfg["areas"]]
    areas = [AreaCtx(i, a) for i, a in area_specs]
    names = [m for a in areas for m in a.matters]
    assert len(names) == len(set(names)), "matter names must be unique across areas"
    for m in names:
        assert 4 <= len(m) <= 10, m
    stems = set().union(*(a.stems for a in areas))
    prov, regions = build_regions(cfg)
    units = build_units(regions, stems)

    catalogs = []  # (relative path, region, area, pairs)
    for area in areas:
        anchors = [(m, s, r) for an, m, s, r in ANCHORS if an == area.name]
        for region, pairs in gen_area(args.seed, area, prov, cfg, anchors):
            catalogs.append((f"catalogs/{region.code}/{area.slug}.yaml", region, area, pairs))
    towns, town_units, extra = [], [], {}
    if cfg["townships"]:
        # townships.py reads this module's helpers: the script must be the module it imports
        sys.modules.setdefault("generate", sys.modules[__name__])
        import townships
        towns, town_units, more = townships.generate(args.seed, prov, cfg, areas, stems, catalogs)
        catalogs += more
        extra = dict(town_lines=townships.registry_regions(towns), township_areas=townships.TOWNSHIP_AREAS,
                     extra_laws=[townships.GRASSROOTS_BASIS])
    catalogs.sort(key=lambda c: c[0])

    faults = inject_faults(catalogs, args.errors, args.seed) if args.errors > 0 else []

    header = f"# generated by benchmarks/generate.py --scale {args.scale} --seed {args.seed}\n"
    reg_dir = cat_dir / "registry"
    reg_dir.mkdir(parents=True, exist_ok=True)
    for name, text in render_registry(regions, areas, units + town_units, header, **extra).items():
        (reg_dir / name).write_text(text, encoding="utf-8", newline="\n")
    made = set()
    n_items = 0
    sections = {}  # a township's one file of sections: path -> [(area, pairs)]
    for path, region, area, pairs in catalogs:
        d = cat_dir / region.code
        if region.code not in made:
            d.mkdir(exist_ok=True)
            made.add(region.code)
        n_items += len(pairs)
        if region.level != "township":
            (out / path).write_text(render_catalog(region, area, pairs), encoding="utf-8", newline="\n")
        elif region.sections:
            sections.setdefault(path, (region, []))[1].append((area, pairs))
        else:
            (out / path).write_text(townships.render_file(args.seed, region, area, pairs), encoding="utf-8", newline="\n")
    for path, (region, parts) in sections.items():
        (out / path).write_text(townships.render_sections(region, parts), encoding="utf-8", newline="\n")
    n_files = len(catalogs) - sum(len(parts) - 1 for _, parts in sections.values())
    if faults:
        lines = ["file\tid\tkind\tdetail\n"] + [f"{p}\t{i}\t{k}\t{d}\n" for p, i, k, d in faults]
        faults_file.write_text("".join(lines), encoding="utf-8", newline="\n")
    # copy the catalog schema when the repository has one, so the editor hint resolves
    schema = Path(__file__).resolve().parent.parent / "schema" / "catalog.schema.json"
    if schema.is_file():
        (out / "schema").mkdir(exist_ok=True)
        shutil.copyfile(schema, out / "schema" / "catalog.schema.json")
    dt = time.perf_counter() - t0
    print(f"{args.scale}: {n_files} files, {n_items} matters, {len(regions) + len(towns)} regions "
          f"({len(towns)} townships, {len(sections)} of them in one file of sections), {len(areas)} areas, "
          f"{len(units) + len(town_units)} units, {len(faults)} faults, {dt:.2f} s -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
